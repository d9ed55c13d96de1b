// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Progress {
  'assignmentId'?: (string);
  /**
   * Monotonic per assignment; the registry ignores anything not newer.
   */
  'sequence'?: (number | string | Long);
  'elapsedMs'?: (number | string | Long);
  /**
   * The last lines the process printed.
   */
  'logTail'?: (string);
}

export interface Progress__Output {
  'assignmentId': (string);
  /**
   * Monotonic per assignment; the registry ignores anything not newer.
   */
  'sequence': (string);
  'elapsedMs': (string);
  /**
   * The last lines the process printed.
   */
  'logTail': (string);
}
