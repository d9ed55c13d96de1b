// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface DepositRequest {
  /**
   * Idempotency key: the same id deposits once.
   */
  'depositId'?: (string);
  'customerId'?: (string);
  'currency'?: (string);
  'amountMicros'?: (number | string | Long);
  /**
   * The payment rail the money came from, e.g. "sim".
   */
  'rail'?: (string);
}

export interface DepositRequest__Output {
  /**
   * Idempotency key: the same id deposits once.
   */
  'depositId': (string);
  'customerId': (string);
  'currency': (string);
  'amountMicros': (string);
  /**
   * The payment rail the money came from, e.g. "sim".
   */
  'rail': (string);
}
