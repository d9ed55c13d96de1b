// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface AssignmentAck {
  'assignmentId'?: (string);
  /**
   * The epoch the assignment was delivered with.
   */
  'epoch'?: (number | string | Long);
}

export interface AssignmentAck__Output {
  'assignmentId': (string);
  /**
   * The epoch the assignment was delivered with.
   */
  'epoch': (string);
}
