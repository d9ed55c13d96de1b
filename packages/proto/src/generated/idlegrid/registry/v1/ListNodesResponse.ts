// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeCapacity as _idlegrid_registry_v1_NodeCapacity, NodeCapacity__Output as _idlegrid_registry_v1_NodeCapacity__Output } from '../../../idlegrid/registry/v1/NodeCapacity.js';

export interface ListNodesResponse {
  'nodes'?: (_idlegrid_registry_v1_NodeCapacity)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_idlegrid_registry_v1_NodeCapacity__Output)[];
}
