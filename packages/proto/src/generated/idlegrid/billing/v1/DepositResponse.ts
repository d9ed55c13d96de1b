// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface DepositResponse {
  'transferId'?: (string);
  'availableMicros'?: (number | string | Long);
}

export interface DepositResponse__Output {
  'transferId': (string);
  'availableMicros': (string);
}
