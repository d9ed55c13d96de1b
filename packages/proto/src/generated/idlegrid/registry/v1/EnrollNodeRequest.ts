// Original file: proto/idlegrid/registry/v1/registry.proto


export interface EnrollNodeRequest {
  'providerId'?: (string);
  /**
   * How the provider names the machine, e.g. "rig-amsterdam-1".
   */
  'name'?: (string);
}

export interface EnrollNodeRequest__Output {
  'providerId': (string);
  /**
   * How the provider names the machine, e.g. "rig-amsterdam-1".
   */
  'name': (string);
}
