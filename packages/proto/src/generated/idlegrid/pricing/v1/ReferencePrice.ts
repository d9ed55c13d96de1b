// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { Long } from '@grpc/proto-loader';

export interface ReferencePrice {
  /**
   * A GPU model, or `*` for any model without its own price.
   */
  'model'?: (string);
  'pricePerGpuHourMicros'?: (number | string | Long);
}

export interface ReferencePrice__Output {
  /**
   * A GPU model, or `*` for any model without its own price.
   */
  'model': (string);
  'pricePerGpuHourMicros': (string);
}
