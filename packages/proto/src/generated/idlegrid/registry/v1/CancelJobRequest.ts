// Original file: proto/idlegrid/registry/v1/registry.proto


export interface CancelJobRequest {
  'jobId'?: (string);
  /**
   * The job's hold (settled for delivered work, if any).
   */
  'holdId'?: (string);
}

export interface CancelJobRequest__Output {
  'jobId': (string);
  /**
   * The job's hold (settled for delivered work, if any).
   */
  'holdId': (string);
}
