// Original file: proto/idlegrid/registry/v1/registry.proto


export interface ListNodesRequest {
  /**
   * When true only nodes with at least one free GPU are returned.
   */
  'onlyWithFreeGpus'?: (boolean);
  /**
   * Also enrolled nodes that are offline now (state "offline"): the fleet
   * that could ever run a job, not only the one that can run it now.
   */
  'includeOffline'?: (boolean);
  /**
   * Empty: the whole listing. Otherwise the `version` of an earlier answer
   * (with the same filters): only nodes whose capacity changed since it —
   * free GPUs, state, price, reputation, interruptible work — and, in
   * removed_node_ids, changed nodes that no longer belong in the listing.
   */
  'sinceVersion'?: (string);
}

export interface ListNodesRequest__Output {
  /**
   * When true only nodes with at least one free GPU are returned.
   */
  'onlyWithFreeGpus': (boolean);
  /**
   * Also enrolled nodes that are offline now (state "offline"): the fleet
   * that could ever run a job, not only the one that can run it now.
   */
  'includeOffline': (boolean);
  /**
   * Empty: the whole listing. Otherwise the `version` of an earlier answer
   * (with the same filters): only nodes whose capacity changed since it —
   * free GPUs, state, price, reputation, interruptible work — and, in
   * removed_node_ids, changed nodes that no longer belong in the listing.
   */
  'sinceVersion': (string);
}
