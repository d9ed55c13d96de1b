// Original file: proto/idlegrid/registry/v1/registry.proto


export interface EnrollNodeResponse {
  'nodeId'?: (string);
  /**
   * `<node id>.<secret>`: the agent's credential. Only its hash is stored.
   */
  'token'?: (string);
}

export interface EnrollNodeResponse__Output {
  'nodeId': (string);
  /**
   * `<node id>.<secret>`: the agent's credential. Only its hash is stored.
   */
  'token': (string);
}
