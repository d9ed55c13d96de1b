// Original file: proto/idlegrid/registry/v1/registry.proto


export interface SetNodeQuarantineRequest {
  'nodeId'?: (string);
  'quarantined'?: (boolean);
  'reason'?: (string);
}

export interface SetNodeQuarantineRequest__Output {
  'nodeId': (string);
  'quarantined': (boolean);
  'reason': (string);
}
