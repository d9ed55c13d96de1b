// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { PriceJob as _idlegrid_pricing_v1_PriceJob, PriceJob__Output as _idlegrid_pricing_v1_PriceJob__Output } from '../../../idlegrid/pricing/v1/PriceJob.js';

/**
 * Why a price is what it is.
 */
export interface PriceJobsRequest {
  'jobs'?: (_idlegrid_pricing_v1_PriceJob)[];
}

/**
 * Why a price is what it is.
 */
export interface PriceJobsRequest__Output {
  'jobs': (_idlegrid_pricing_v1_PriceJob__Output)[];
}
