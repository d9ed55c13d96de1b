// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface GetBalanceResponse {
  'availableMicros'?: (number | string | Long);
  'heldMicros'?: (number | string | Long);
  /**
   * Provider earnings not yet paid out.
   */
  'earnedMicros'?: (number | string | Long);
  'currency'?: (string);
}

export interface GetBalanceResponse__Output {
  'availableMicros': (string);
  'heldMicros': (string);
  /**
   * Provider earnings not yet paid out.
   */
  'earnedMicros': (string);
  'currency': (string);
}
