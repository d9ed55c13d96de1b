// Original file: proto/idlegrid/registry/v1/registry.proto


export interface PreemptRunsRequest {
  /**
   * The job the GPUs are reclaimed for.
   */
  'jobId'?: (string);
  'nodeId'?: (string);
  /**
   * Runs to stop; each must be interruptible, live and on node_id.
   */
  'assignmentIds'?: (string)[];
  /**
   * The GPUs to hold for job_id once the victims stop.
   */
  'gpuIndexes'?: (number)[];
  /**
   * SIGTERM → SIGKILL grace given to each victim's process.
   */
  'graceS'?: (number);
}

export interface PreemptRunsRequest__Output {
  /**
   * The job the GPUs are reclaimed for.
   */
  'jobId': (string);
  'nodeId': (string);
  /**
   * Runs to stop; each must be interruptible, live and on node_id.
   */
  'assignmentIds': (string)[];
  /**
   * The GPUs to hold for job_id once the victims stop.
   */
  'gpuIndexes': (number)[];
  /**
   * SIGTERM → SIGKILL grace given to each victim's process.
   */
  'graceS': (number);
}
