// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RefundHoldsResponse {
  'currency'?: (string);
  /**
   * What went back to the customer's available balance: all the settlements
   * charged, or the amount asked.
   */
  'refundedMicros'?: (number | string | Long);
  'refundedAt'?: (string);
  'reason'?: (string);
  /**
   * The reversals posted, in order.
   */
  'transferIds'?: (string)[];
}

export interface RefundHoldsResponse__Output {
  'currency': (string);
  /**
   * What went back to the customer's available balance: all the settlements
   * charged, or the amount asked.
   */
  'refundedMicros': (string);
  'refundedAt': (string);
  'reason': (string);
  /**
   * The reversals posted, in order.
   */
  'transferIds': (string)[];
}
