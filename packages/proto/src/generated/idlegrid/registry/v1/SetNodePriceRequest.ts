// Original file: proto/idlegrid/registry/v1/registry.proto

import type { NodeRef as _idlegrid_registry_v1_NodeRef, NodeRef__Output as _idlegrid_registry_v1_NodeRef__Output } from '../../../idlegrid/registry/v1/NodeRef.js';
import type { Long } from '@grpc/proto-loader';

export interface SetNodePriceRequest {
  'node'?: (_idlegrid_registry_v1_NodeRef | null);
  'pricePerGpuHourMicros'?: (number | string | Long);
}

export interface SetNodePriceRequest__Output {
  'node': (_idlegrid_registry_v1_NodeRef__Output | null);
  'pricePerGpuHourMicros': (string);
}
