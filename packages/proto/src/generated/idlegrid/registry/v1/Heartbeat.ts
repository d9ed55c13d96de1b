// Original file: proto/idlegrid/registry/v1/registry.proto

import type { GpuStats as _idlegrid_registry_v1_GpuStats, GpuStats__Output as _idlegrid_registry_v1_GpuStats__Output } from '../../../idlegrid/registry/v1/GpuStats.js';
import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'sequence'?: (number | string | Long);
  'gpus'?: (_idlegrid_registry_v1_GpuStats)[];
}

export interface Heartbeat__Output {
  'sequence': (string);
  'gpus': (_idlegrid_registry_v1_GpuStats__Output)[];
}
