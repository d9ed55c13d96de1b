// Original file: proto/idlegrid/registry/v1/registry.proto


export interface Registered {
  'nodeId'?: (string);
  'heartbeatIntervalMs'?: (number);
}

export interface Registered__Output {
  'nodeId': (string);
  'heartbeatIntervalMs': (number);
}
