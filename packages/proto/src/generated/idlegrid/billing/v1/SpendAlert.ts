// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SpendAlert {
  'monthlyLimitMicros'?: (number | string | Long);
  'alertAtPercent'?: (number);
  /**
   * Charged this month so far.
   */
  'spentMicros'?: (number | string | Long);
  /**
   * Held now, the hold that crossed included.
   */
  'heldMicros'?: (number | string | Long);
}

export interface SpendAlert__Output {
  'monthlyLimitMicros': (string);
  'alertAtPercent': (number);
  /**
   * Charged this month so far.
   */
  'spentMicros': (string);
  /**
   * Held now, the hold that crossed included.
   */
  'heldMicros': (string);
}
