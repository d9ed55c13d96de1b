// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface CancelJobResponse {
  /**
   * Runs that were live and are now being stopped.
   */
  'stoppedRuns'?: (number);
  /**
   * True when a settlement for delivered work was enqueued; false: nothing
   * was delivered and the hold is the caller's to void.
   */
  'settles'?: (boolean);
  /**
   * GPU-seconds the stopped runs had delivered (billed with the settlement).
   */
  'deliveredGpuSeconds'?: (number | string | Long);
}

export interface CancelJobResponse__Output {
  /**
   * Runs that were live and are now being stopped.
   */
  'stoppedRuns': (number);
  /**
   * True when a settlement for delivered work was enqueued; false: nothing
   * was delivered and the hold is the caller's to void.
   */
  'settles': (boolean);
  /**
   * GPU-seconds the stopped runs had delivered (billed with the settlement).
   */
  'deliveredGpuSeconds': (string);
}
