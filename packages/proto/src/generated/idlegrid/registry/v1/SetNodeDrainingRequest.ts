// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeRef as _idlegrid_registry_v1_NodeRef, NodeRef__Output as _idlegrid_registry_v1_NodeRef__Output } from '../../../idlegrid/registry/v1/NodeRef.js';

export interface SetNodeDrainingRequest {
  'node'?: (_idlegrid_registry_v1_NodeRef | null);
  'draining'?: (boolean);
}

export interface SetNodeDrainingRequest__Output {
  'node': (_idlegrid_registry_v1_NodeRef__Output | null);
  'draining': (boolean);
}
