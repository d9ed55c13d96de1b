// Original file: proto/idlegrid/billing/v1/billing.proto

import type { PlaceHoldRequest as _idlegrid_billing_v1_PlaceHoldRequest, PlaceHoldRequest__Output as _idlegrid_billing_v1_PlaceHoldRequest__Output } from '../../../idlegrid/billing/v1/PlaceHoldRequest.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from '../../../idlegrid/common/v1/TraceContext.js';

export interface PlaceHoldsRequest {
  'holds'?: (_idlegrid_billing_v1_PlaceHoldRequest)[];
  /**
   * One per hold, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces'?: (_idlegrid_common_v1_TraceContext)[];
}

export interface PlaceHoldsRequest__Output {
  'holds': (_idlegrid_billing_v1_PlaceHoldRequest__Output)[];
  /**
   * One per hold, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces': (_idlegrid_common_v1_TraceContext__Output)[];
}
