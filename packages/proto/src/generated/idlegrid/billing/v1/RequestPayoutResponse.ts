// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RequestPayoutResponse {
  'payoutId'?: (string);
  'amountMicros'?: (number | string | Long);
  /**
   * Earnings left after this payout.
   */
  'earnedMicros'?: (number | string | Long);
  'currency'?: (string);
}

export interface RequestPayoutResponse__Output {
  'payoutId': (string);
  'amountMicros': (string);
  /**
   * Earnings left after this payout.
   */
  'earnedMicros': (string);
  'currency': (string);
}
