// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SettleHoldRequest {
  'holdId'?: (string);
  'providerId'?: (string);
  'gpuSeconds'?: (number | string | Long);
  'pricePerGpuHourMicros'?: (number | string | Long);
}

export interface SettleHoldRequest__Output {
  'holdId': (string);
  'providerId': (string);
  'gpuSeconds': (string);
  'pricePerGpuHourMicros': (string);
}
