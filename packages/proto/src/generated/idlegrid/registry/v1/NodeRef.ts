// Original file: proto/idlegrid/registry/v1/registry.proto


/**
 * A node, as its provider (or, with provider_id empty, an operator) names it.
 */
export interface NodeRef {
  'providerId'?: (string);
  'nodeId'?: (string);
}

/**
 * A node, as its provider (or, with provider_id empty, an operator) names it.
 */
export interface NodeRef__Output {
  'providerId': (string);
  'nodeId': (string);
}
