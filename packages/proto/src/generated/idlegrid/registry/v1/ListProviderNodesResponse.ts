// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeStatus as _idlegrid_registry_v1_NodeStatus, NodeStatus__Output as _idlegrid_registry_v1_NodeStatus__Output } from '../../../idlegrid/registry/v1/NodeStatus.js';

export interface ListProviderNodesResponse {
  'nodes'?: (_idlegrid_registry_v1_NodeStatus)[];
}

export interface ListProviderNodesResponse__Output {
  'nodes': (_idlegrid_registry_v1_NodeStatus__Output)[];
}
