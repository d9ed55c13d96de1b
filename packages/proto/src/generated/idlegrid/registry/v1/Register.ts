// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeInventory as _idlegrid_registry_v1_NodeInventory, NodeInventory__Output as _idlegrid_registry_v1_NodeInventory__Output } from '../../../idlegrid/registry/v1/NodeInventory.js';
import type { RunningAssignment as _idlegrid_registry_v1_RunningAssignment, RunningAssignment__Output as _idlegrid_registry_v1_RunningAssignment__Output } from '../../../idlegrid/registry/v1/RunningAssignment.js';
import type { Long } from '@grpc/proto-loader';

export interface Register {
  /**
   * Informational: the credential decides the provider; a mismatch is refused.
   */
  'providerId'?: (string);
  /**
   * Informational: the credential decides the node; a mismatch is refused.
   */
  'nodeId'?: (string);
  'inventory'?: (_idlegrid_registry_v1_NodeInventory | null);
  /**
   * The provider's asking price per GPU-hour, in micros of USD.
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
  'agentVersion'?: (string);
  /**
   * Assignments the agent is still running (after a reconnect or its own
   * restart). Acknowledged work missing from this list is reported lost.
   */
  'running'?: (_idlegrid_registry_v1_RunningAssignment)[];
}

export interface Register__Output {
  /**
   * Informational: the credential decides the provider; a mismatch is refused.
   */
  'providerId': (string);
  /**
   * Informational: the credential decides the node; a mismatch is refused.
   */
  'nodeId': (string);
  'inventory': (_idlegrid_registry_v1_NodeInventory__Output | null);
  /**
   * The provider's asking price per GPU-hour, in micros of USD.
   */
  'pricePerGpuHourMicros': (string);
  'agentVersion': (string);
  /**
   * Assignments the agent is still running (after a reconnect or its own
   * restart). Acknowledged work missing from this list is reported lost.
   */
  'running': (_idlegrid_registry_v1_RunningAssignment__Output)[];
}
