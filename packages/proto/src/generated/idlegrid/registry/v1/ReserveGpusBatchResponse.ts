// Original file: proto/idlegrid/registry/v1/registry.proto

import type { ReserveOutcome as _idlegrid_registry_v1_ReserveOutcome, ReserveOutcome__Output as _idlegrid_registry_v1_ReserveOutcome__Output } from '../../../idlegrid/registry/v1/ReserveOutcome.js';

export interface ReserveGpusBatchResponse {
  /**
   * One per job, in the order asked.
   */
  'outcomes'?: (_idlegrid_registry_v1_ReserveOutcome)[];
}

export interface ReserveGpusBatchResponse__Output {
  /**
   * One per job, in the order asked.
   */
  'outcomes': (_idlegrid_registry_v1_ReserveOutcome__Output)[];
}
