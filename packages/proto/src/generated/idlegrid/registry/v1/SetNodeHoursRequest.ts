// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeRef as _idlegrid_registry_v1_NodeRef, NodeRef__Output as _idlegrid_registry_v1_NodeRef__Output } from '../../../idlegrid/registry/v1/NodeRef.js';
import type { NodeHours as _idlegrid_registry_v1_NodeHours, NodeHours__Output as _idlegrid_registry_v1_NodeHours__Output } from '../../../idlegrid/registry/v1/NodeHours.js';

export interface SetNodeHoursRequest {
  'node'?: (_idlegrid_registry_v1_NodeRef | null);
  /**
   * Absent: always available.
   */
  'hours'?: (_idlegrid_registry_v1_NodeHours | null);
}

export interface SetNodeHoursRequest__Output {
  'node': (_idlegrid_registry_v1_NodeRef__Output | null);
  /**
   * Absent: always available.
   */
  'hours': (_idlegrid_registry_v1_NodeHours__Output | null);
}
