// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Gpu as _idlegrid_registry_v1_Gpu, Gpu__Output as _idlegrid_registry_v1_Gpu__Output } from '../../../idlegrid/registry/v1/Gpu.js';
import type { NodeHours as _idlegrid_registry_v1_NodeHours, NodeHours__Output as _idlegrid_registry_v1_NodeHours__Output } from '../../../idlegrid/registry/v1/NodeHours.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeStatus {
  'nodeId'?: (string);
  'providerId'?: (string);
  'name'?: (string);
  /**
   * "online" | "busy" | "draining" | "suspect" | "offline" | "quarantined" | "enrolled" | "revoked".
   */
  'state'?: (string);
  'region'?: (string);
  'country'?: (string);
  /**
   * Asking price per GPU-hour for new work (micros of USD); 0 while it has none:
   * its agent never connected and its provider set none.
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
  'gpus'?: (_idlegrid_registry_v1_Gpu)[];
  'gpusInUse'?: (number);
  /**
   * RFC 3339; empty before the first heartbeat.
   */
  'lastHeartbeatAt'?: (string);
  'quarantineReason'?: (string);
  /**
   * The hours its provider lends it; absent: always.
   */
  'hours'?: (_idlegrid_registry_v1_NodeHours | null);
  /**
   * With hours: when it next closes (in them) or opens (outside them), RFC 3339; empty: never.
   */
  'hoursChangeAt'?: (string);
}

export interface NodeStatus__Output {
  'nodeId': (string);
  'providerId': (string);
  'name': (string);
  /**
   * "online" | "busy" | "draining" | "suspect" | "offline" | "quarantined" | "enrolled" | "revoked".
   */
  'state': (string);
  'region': (string);
  'country': (string);
  /**
   * Asking price per GPU-hour for new work (micros of USD); 0 while it has none:
   * its agent never connected and its provider set none.
   */
  'pricePerGpuHourMicros': (string);
  'gpus': (_idlegrid_registry_v1_Gpu__Output)[];
  'gpusInUse': (number);
  /**
   * RFC 3339; empty before the first heartbeat.
   */
  'lastHeartbeatAt': (string);
  'quarantineReason': (string);
  /**
   * The hours its provider lends it; absent: always.
   */
  'hours': (_idlegrid_registry_v1_NodeHours__Output | null);
  /**
   * With hours: when it next closes (in them) or opens (outside them), RFC 3339; empty: never.
   */
  'hoursChangeAt': (string);
}
