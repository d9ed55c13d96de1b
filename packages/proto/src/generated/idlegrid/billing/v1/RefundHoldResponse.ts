// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RefundHoldResponse {
  'holdId'?: (string);
  'currency'?: (string);
  /**
   * Everything the settlement charged, back in the customer's available balance.
   */
  'refundedMicros'?: (number | string | Long);
  'refundedAt'?: (string);
  'reason'?: (string);
  /**
   * The reversals posted, in order.
   */
  'transferIds'?: (string)[];
}

export interface RefundHoldResponse__Output {
  'holdId': (string);
  'currency': (string);
  /**
   * Everything the settlement charged, back in the customer's available balance.
   */
  'refundedMicros': (string);
  'refundedAt': (string);
  'reason': (string);
  /**
   * The reversals posted, in order.
   */
  'transferIds': (string)[];
}
