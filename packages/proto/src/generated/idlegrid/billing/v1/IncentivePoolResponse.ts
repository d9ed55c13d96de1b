// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface IncentivePoolResponse {
  'poolMicros'?: (number | string | Long);
}

export interface IncentivePoolResponse__Output {
  'poolMicros': (string);
}
