// Original file: proto/idlegrid/registry/v1/registry.proto

import type { RankAssignment as _idlegrid_registry_v1_RankAssignment, RankAssignment__Output as _idlegrid_registry_v1_RankAssignment__Output } from '../../../idlegrid/registry/v1/RankAssignment.js';

export interface ReserveGpusResponse {
  /**
   * The placement (gang) id; for one node, its only assignment's id.
   */
  'gangId'?: (string);
  'ranks'?: (_idlegrid_registry_v1_RankAssignment)[];
}

export interface ReserveGpusResponse__Output {
  /**
   * The placement (gang) id; for one node, its only assignment's id.
   */
  'gangId': (string);
  'ranks': (_idlegrid_registry_v1_RankAssignment__Output)[];
}
