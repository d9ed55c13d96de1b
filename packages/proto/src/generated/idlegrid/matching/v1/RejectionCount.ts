// Original file: proto/idlegrid/matching/v1/matching.proto


export interface RejectionCount {
  /**
   * Stable reason code, e.g. "insufficient_free_gpus", "gpu_model", "min_vram".
   */
  'reason'?: (string);
  'nodes'?: (number);
}

export interface RejectionCount__Output {
  /**
   * Stable reason code, e.g. "insufficient_free_gpus", "gpu_model", "min_vram".
   */
  'reason': (string);
  'nodes': (number);
}
