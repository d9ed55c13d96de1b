// Original file: proto/idlegrid/registry/v1/registry.proto


export interface Gpu {
  /**
   * Position on the host (CUDA_VISIBLE_DEVICES index).
   */
  'index'?: (number);
  'model'?: (string);
  'vramMib'?: (number);
  'uuid'?: (string);
}

export interface Gpu__Output {
  /**
   * Position on the host (CUDA_VISIBLE_DEVICES index).
   */
  'index': (number);
  'model': (string);
  'vramMib': (number);
  'uuid': (string);
}
