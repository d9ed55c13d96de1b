// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface RunningAssignment {
  'assignmentId'?: (string);
  'epoch'?: (number | string | Long);
}

export interface RunningAssignment__Output {
  'assignmentId': (string);
  'epoch': (string);
}
