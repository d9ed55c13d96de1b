// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface RankAssignment {
  'rank'?: (number);
  'nodeId'?: (string);
  'assignmentId'?: (string);
  'gpuIndexes'?: (number)[];
  /**
   * The node's price, agreed at reservation.
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
}

export interface RankAssignment__Output {
  'rank': (number);
  'nodeId': (string);
  'assignmentId': (string);
  'gpuIndexes': (number)[];
  /**
   * The node's price, agreed at reservation.
   */
  'pricePerGpuHourMicros': (string);
}
