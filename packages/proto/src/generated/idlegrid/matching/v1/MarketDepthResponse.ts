// Original file: proto/idlegrid/matching/v1/matching.proto

import type { SupplyLevel as _idlegrid_matching_v1_SupplyLevel, SupplyLevel__Output as _idlegrid_matching_v1_SupplyLevel__Output } from '../../../idlegrid/matching/v1/SupplyLevel.js';
import type { DemandLevel as _idlegrid_matching_v1_DemandLevel, DemandLevel__Output as _idlegrid_matching_v1_DemandLevel__Output } from '../../../idlegrid/matching/v1/DemandLevel.js';

export interface MarketDepthResponse {
  'supply'?: (_idlegrid_matching_v1_SupplyLevel)[];
  'demand'?: (_idlegrid_matching_v1_DemandLevel)[];
  /**
   * RFC 3339.
   */
  'sampledAt'?: (string);
}

export interface MarketDepthResponse__Output {
  'supply': (_idlegrid_matching_v1_SupplyLevel__Output)[];
  'demand': (_idlegrid_matching_v1_DemandLevel__Output)[];
  /**
   * RFC 3339.
   */
  'sampledAt': (string);
}
