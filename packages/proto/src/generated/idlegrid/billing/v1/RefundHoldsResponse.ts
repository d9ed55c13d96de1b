// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RefundHoldsResponse {
  'currency'?: (string);
  /**
   * Everything the settlements charged, back in the customer's available balance.
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
   * Everything the settlements charged, back in the customer's available balance.
   */
  'refundedMicros': (string);
  'refundedAt': (string);
  'reason': (string);
  /**
   * The reversals posted, in order.
   */
  'transferIds': (string)[];
}
