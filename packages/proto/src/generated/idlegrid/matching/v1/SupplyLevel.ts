// Original file: proto/idlegrid/matching/v1/matching.proto

import type { Long } from '@grpc/proto-loader';

export interface SupplyLevel {
  'model'?: (string);
  'region'?: (string);
  'pricePerGpuHourMicros'?: (number | string | Long);
  /**
   * GPUs of this model on nodes that take work, in this region, at this price.
   */
  'totalGpus'?: (number);
  'freeGpus'?: (number);
}

export interface SupplyLevel__Output {
  'model': (string);
  'region': (string);
  'pricePerGpuHourMicros': (string);
  /**
   * GPUs of this model on nodes that take work, in this region, at this price.
   */
  'totalGpus': (number);
  'freeGpus': (number);
}
