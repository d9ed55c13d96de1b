// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ReserveGpusResponse {
  'assignmentId'?: (string);
  'pricePerGpuHourMicros'?: (number | string | Long);
}

export interface ReserveGpusResponse__Output {
  'assignmentId': (string);
  'pricePerGpuHourMicros': (string);
}
