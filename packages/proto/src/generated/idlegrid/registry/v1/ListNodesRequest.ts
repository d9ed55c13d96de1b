// Original file: proto/idlegrid/registry/v1/registry.proto


export interface ListNodesRequest {
  /**
   * When true only nodes with at least one free GPU are returned.
   */
  'onlyWithFreeGpus'?: (boolean);
}

export interface ListNodesRequest__Output {
  /**
   * When true only nodes with at least one free GPU are returned.
   */
  'onlyWithFreeGpus': (boolean);
}
