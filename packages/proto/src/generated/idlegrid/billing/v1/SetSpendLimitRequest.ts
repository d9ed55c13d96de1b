// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SetSpendLimitRequest {
  'customerId'?: (string);
  'currency'?: (string);
  'monthlyLimitMicros'?: (number | string | Long);
}

export interface SetSpendLimitRequest__Output {
  'customerId': (string);
  'currency': (string);
  'monthlyLimitMicros': (string);
}
