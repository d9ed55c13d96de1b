// Original file: proto/idlegrid/billing/v1/billing.proto

import type { PendingHold as _idlegrid_billing_v1_PendingHold, PendingHold__Output as _idlegrid_billing_v1_PendingHold__Output } from '../../../idlegrid/billing/v1/PendingHold.js';

export interface ListPendingHoldsResponse {
  /**
   * In id order; fewer than the limit: there are no more.
   */
  'holds'?: (_idlegrid_billing_v1_PendingHold)[];
}

export interface ListPendingHoldsResponse__Output {
  /**
   * In id order; fewer than the limit: there are no more.
   */
  'holds': (_idlegrid_billing_v1_PendingHold__Output)[];
}
