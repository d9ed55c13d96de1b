// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { PriceOutcome as _idlegrid_pricing_v1_PriceOutcome, PriceOutcome__Output as _idlegrid_pricing_v1_PriceOutcome__Output } from '../../../idlegrid/pricing/v1/PriceOutcome.js';

export interface PriceJobsResponse {
  /**
   * One per job, in the order asked.
   */
  'outcomes'?: (_idlegrid_pricing_v1_PriceOutcome)[];
}

export interface PriceJobsResponse__Output {
  /**
   * One per job, in the order asked.
   */
  'outcomes': (_idlegrid_pricing_v1_PriceOutcome__Output)[];
}
