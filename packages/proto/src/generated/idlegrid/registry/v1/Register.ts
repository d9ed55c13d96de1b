// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeInventory as _idlegrid_registry_v1_NodeInventory, NodeInventory__Output as _idlegrid_registry_v1_NodeInventory__Output } from '../../../idlegrid/registry/v1/NodeInventory.js';
import type { Long } from '@grpc/proto-loader';

export interface Register {
  /**
   * The provider account that owns the node and earns from it.
   */
  'providerId'?: (string);
  /**
   * Set on reconnect to resume as the same node; empty on first contact.
   */
  'nodeId'?: (string);
  'inventory'?: (_idlegrid_registry_v1_NodeInventory | null);
  /**
   * The provider's asking price per GPU-hour, in micros of USD.
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
  'agentVersion'?: (string);
}

export interface Register__Output {
  /**
   * The provider account that owns the node and earns from it.
   */
  'providerId': (string);
  /**
   * Set on reconnect to resume as the same node; empty on first contact.
   */
  'nodeId': (string);
  'inventory': (_idlegrid_registry_v1_NodeInventory__Output | null);
  /**
   * The provider's asking price per GPU-hour, in micros of USD.
   */
  'pricePerGpuHourMicros': (string);
  'agentVersion': (string);
}
