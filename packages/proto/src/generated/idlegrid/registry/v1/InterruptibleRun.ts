// Original file: proto/idlegrid/registry/v1/registry.proto


/**
 * Work running on a node that a higher-priority job may reclaim.
 */
export interface InterruptibleRun {
  'assignmentId'?: (string);
  'jobId'?: (string);
  'gpuIndexes'?: (number)[];
  /**
   * "low" | "normal" | "high".
   */
  'priority'?: (string);
  /**
   * RFC 3339; the newest runs lose the least work when stopped.
   */
  'startedAt'?: (string);
}

/**
 * Work running on a node that a higher-priority job may reclaim.
 */
export interface InterruptibleRun__Output {
  'assignmentId': (string);
  'jobId': (string);
  'gpuIndexes': (number)[];
  /**
   * "low" | "normal" | "high".
   */
  'priority': (string);
  /**
   * RFC 3339; the newest runs lose the least work when stopped.
   */
  'startedAt': (string);
}
