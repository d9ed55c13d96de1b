// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Completion {
  'assignmentId'?: (string);
  /**
   * The process exit code; -1 when it was killed by a signal or never started.
   */
  'exitCode'?: (number);
  'wallMs'?: (number | string | Long);
  /**
   * Billable GPU-seconds: whole seconds of wall time, rounded up, times GPUs.
   */
  'gpuSeconds'?: (number | string | Long);
  'logTail'?: (string);
  /**
   * Why the process did not run or was killed (empty on a normal exit).
   */
  'error'?: (string);
  'epoch'?: (number | string | Long);
  /**
   * The node stopped the run before it ended (its agent was shut down, or
   * found the run left by an agent that crashed): not the job's failure. The
   * registry ends the run as lost, pays its GPU-seconds and requeues the job.
   */
  'interrupted'?: (boolean);
}

export interface Completion__Output {
  'assignmentId': (string);
  /**
   * The process exit code; -1 when it was killed by a signal or never started.
   */
  'exitCode': (number);
  'wallMs': (string);
  /**
   * Billable GPU-seconds: whole seconds of wall time, rounded up, times GPUs.
   */
  'gpuSeconds': (string);
  'logTail': (string);
  /**
   * Why the process did not run or was killed (empty on a normal exit).
   */
  'error': (string);
  'epoch': (string);
  /**
   * The node stopped the run before it ended (its agent was shut down, or
   * found the run left by an agent that crashed): not the job's failure. The
   * registry ends the run as lost, pays its GPU-seconds and requeues the job.
   */
  'interrupted': (boolean);
}
