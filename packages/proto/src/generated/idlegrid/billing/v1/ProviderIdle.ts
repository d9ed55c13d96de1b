// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface ProviderIdle {
  'providerId'?: (string);
  /**
   * GPU-seconds the provider's GPUs were online and free during the epoch.
   */
  'idleGpuSeconds'?: (number | string | Long);
}

export interface ProviderIdle__Output {
  'providerId': (string);
  /**
   * GPU-seconds the provider's GPUs were online and free during the epoch.
   */
  'idleGpuSeconds': (string);
}
