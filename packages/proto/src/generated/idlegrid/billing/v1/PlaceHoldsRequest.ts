// Original file: proto/idlegrid/billing/v1/billing.proto

import type { PlaceHoldRequest as _idlegrid_billing_v1_PlaceHoldRequest, PlaceHoldRequest__Output as _idlegrid_billing_v1_PlaceHoldRequest__Output } from '../../../idlegrid/billing/v1/PlaceHoldRequest.js';

export interface PlaceHoldsRequest {
  'holds'?: (_idlegrid_billing_v1_PlaceHoldRequest)[];
}

export interface PlaceHoldsRequest__Output {
  'holds': (_idlegrid_billing_v1_PlaceHoldRequest__Output)[];
}
