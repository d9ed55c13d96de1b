// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeCapacity as _idlegrid_registry_v1_NodeCapacity, NodeCapacity__Output as _idlegrid_registry_v1_NodeCapacity__Output } from '../../../idlegrid/registry/v1/NodeCapacity.js';

export interface ListNodesResponse {
  'nodes'?: (_idlegrid_registry_v1_NodeCapacity)[];
  /**
   * Pass as since_version to learn what changed after this answer (opaque:
   * the Postgres snapshot the listing was read in).
   */
  'version'?: (string);
  /**
   * With since_version: nodes that changed and left the listing (offline, revoked, no free GPU…).
   */
  'removedNodeIds'?: (string)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_idlegrid_registry_v1_NodeCapacity__Output)[];
  /**
   * Pass as since_version to learn what changed after this answer (opaque:
   * the Postgres snapshot the listing was read in).
   */
  'version': (string);
  /**
   * With since_version: nodes that changed and left the listing (offline, revoked, no free GPU…).
   */
  'removedNodeIds': (string)[];
}
