// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RequestPayoutRequest {
  /**
   * Idempotency key: the same id pays out once.
   */
  'payoutId'?: (string);
  'providerId'?: (string);
  'currency'?: (string);
  /**
   * 0 pays out everything earned so far.
   */
  'amountMicros'?: (number | string | Long);
  /**
   * The rail the money leaves by; "sim" is the simulated one.
   */
  'rail'?: (string);
}

export interface RequestPayoutRequest__Output {
  /**
   * Idempotency key: the same id pays out once.
   */
  'payoutId': (string);
  'providerId': (string);
  'currency': (string);
  /**
   * 0 pays out everything earned so far.
   */
  'amountMicros': (string);
  /**
   * The rail the money leaves by; "sim" is the simulated one.
   */
  'rail': (string);
}
