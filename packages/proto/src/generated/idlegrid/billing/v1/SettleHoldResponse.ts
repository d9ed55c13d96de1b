// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SettleHoldResponse {
  'holdId'?: (string);
  /**
   * Charged to the customer.
   */
  'chargedMicros'?: (number | string | Long);
  /**
   * Earned by the provider (charged − fee).
   */
  'providerMicros'?: (number | string | Long);
  'feeMicros'?: (number | string | Long);
  /**
   * Returned from the hold to the customer's available balance.
   */
  'releasedMicros'?: (number | string | Long);
  'currency'?: (string);
}

export interface SettleHoldResponse__Output {
  'holdId': (string);
  /**
   * Charged to the customer.
   */
  'chargedMicros': (string);
  /**
   * Earned by the provider (charged − fee).
   */
  'providerMicros': (string);
  'feeMicros': (string);
  /**
   * Returned from the hold to the customer's available balance.
   */
  'releasedMicros': (string);
  'currency': (string);
}
