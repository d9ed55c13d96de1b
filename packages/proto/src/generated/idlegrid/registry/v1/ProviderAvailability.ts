// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ProviderAvailability {
  'providerId'?: (string);
  /**
   * GPU-seconds its nodes were available (connected and taking work).
   */
  'gpuSeconds'?: (number | string | Long);
  /**
   * Of those, GPU-seconds with nothing running or held.
   */
  'idleGpuSeconds'?: (number | string | Long);
}

export interface ProviderAvailability__Output {
  'providerId': (string);
  /**
   * GPU-seconds its nodes were available (connected and taking work).
   */
  'gpuSeconds': (string);
  /**
   * Of those, GPU-seconds with nothing running or held.
   */
  'idleGpuSeconds': (string);
}
