// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SetSpendLimitRequest {
  'customerId'?: (string);
  'currency'?: (string);
  'monthlyLimitMicros'?: (number | string | Long);
  /**
   * 1–99: the share of the limit at which the customer is warned (a hold
   * says so, HoldResponse.spend_alert); 0 for no warning.
   */
  'alertAtPercent'?: (number);
}

export interface SetSpendLimitRequest__Output {
  'customerId': (string);
  'currency': (string);
  'monthlyLimitMicros': (string);
  /**
   * 1–99: the share of the limit at which the customer is warned (a hold
   * says so, HoldResponse.spend_alert); 0 for no warning.
   */
  'alertAtPercent': (number);
}
