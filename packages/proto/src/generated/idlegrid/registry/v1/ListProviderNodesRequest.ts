// Original file: proto/idlegrid/registry/v1/registry.proto


export interface ListProviderNodesRequest {
  'providerId'?: (string);
}

export interface ListProviderNodesRequest__Output {
  'providerId': (string);
}
