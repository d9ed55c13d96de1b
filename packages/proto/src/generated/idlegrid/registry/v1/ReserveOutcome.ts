// Original file: proto/idlegrid/registry/v1/registry.proto

import type { ReserveGpusResponse as _idlegrid_registry_v1_ReserveGpusResponse, ReserveGpusResponse__Output as _idlegrid_registry_v1_ReserveGpusResponse__Output } from '../../../idlegrid/registry/v1/ReserveGpusResponse.js';

export interface ReserveOutcome {
  'jobId'?: (string);
  /**
   * "placed", or why not: "gpus_not_free" | "node_unknown" | "price_above_max"
   * | "job_cancelled" | "job_already_placed" | "invalid_argument".
   */
  'code'?: (string);
  'message'?: (string);
  /**
   * Set when placed.
   */
  'placed'?: (_idlegrid_registry_v1_ReserveGpusResponse | null);
}

export interface ReserveOutcome__Output {
  'jobId': (string);
  /**
   * "placed", or why not: "gpus_not_free" | "node_unknown" | "price_above_max"
   * | "job_cancelled" | "job_already_placed" | "invalid_argument".
   */
  'code': (string);
  'message': (string);
  /**
   * Set when placed.
   */
  'placed': (_idlegrid_registry_v1_ReserveGpusResponse__Output | null);
}
