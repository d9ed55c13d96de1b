// Original file: proto/idlegrid/billing/v1/billing.proto

import type { HoldOutcome as _idlegrid_billing_v1_HoldOutcome, HoldOutcome__Output as _idlegrid_billing_v1_HoldOutcome__Output } from '../../../idlegrid/billing/v1/HoldOutcome.js';

export interface PlaceHoldsResponse {
  /**
   * One per hold, in the order asked.
   */
  'outcomes'?: (_idlegrid_billing_v1_HoldOutcome)[];
}

export interface PlaceHoldsResponse__Output {
  /**
   * One per hold, in the order asked.
   */
  'outcomes': (_idlegrid_billing_v1_HoldOutcome__Output)[];
}
