// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface PendingHold {
  'holdId'?: (string);
  'customerId'?: (string);
  /**
   * What the hold is for, as its placer said: the job id.
   */
  'reference'?: (string);
  'createdAt'?: (string);
  'amountMicros'?: (number | string | Long);
  'currency'?: (string);
}

export interface PendingHold__Output {
  'holdId': (string);
  'customerId': (string);
  /**
   * What the hold is for, as its placer said: the job id.
   */
  'reference': (string);
  'createdAt': (string);
  'amountMicros': (string);
  'currency': (string);
}
