// Original file: proto/idlegrid/registry/v1/registry.proto

import type { ReserveGpusRequest as _idlegrid_registry_v1_ReserveGpusRequest, ReserveGpusRequest__Output as _idlegrid_registry_v1_ReserveGpusRequest__Output } from '../../../idlegrid/registry/v1/ReserveGpusRequest.js';

export interface ReserveGpusBatchRequest {
  /**
   * Distinct jobs; a GPU named by two of them goes to the first.
   */
  'jobs'?: (_idlegrid_registry_v1_ReserveGpusRequest)[];
}

export interface ReserveGpusBatchRequest__Output {
  /**
   * Distinct jobs; a GPU named by two of them goes to the first.
   */
  'jobs': (_idlegrid_registry_v1_ReserveGpusRequest__Output)[];
}
