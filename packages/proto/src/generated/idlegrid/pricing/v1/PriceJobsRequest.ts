// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { PriceJob as _idlegrid_pricing_v1_PriceJob, PriceJob__Output as _idlegrid_pricing_v1_PriceJob__Output } from '../../../idlegrid/pricing/v1/PriceJob.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from '../../../idlegrid/common/v1/TraceContext.js';

/**
 * Why a price is what it is.
 */
export interface PriceJobsRequest {
  'jobs'?: (_idlegrid_pricing_v1_PriceJob)[];
  /**
   * One per job, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces'?: (_idlegrid_common_v1_TraceContext)[];
}

/**
 * Why a price is what it is.
 */
export interface PriceJobsRequest__Output {
  'jobs': (_idlegrid_pricing_v1_PriceJob__Output)[];
  /**
   * One per job, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces': (_idlegrid_common_v1_TraceContext__Output)[];
}
