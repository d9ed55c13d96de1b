// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface HoldResponse {
  'holdId'?: (string);
  /**
   * "pending" | "settled" | "voided".
   */
  'state'?: (string);
  'amountMicros'?: (number | string | Long);
}

export interface HoldResponse__Output {
  'holdId': (string);
  /**
   * "pending" | "settled" | "voided".
   */
  'state': (string);
  'amountMicros': (string);
}
