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
  /**
   * Ranks of its placement. Above 1 it is one rank of a gang: stopping it
   * stops every rank (a gang runs all or nothing) and requeues the gang once.
   */
  'worldSize'?: (number);
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
  /**
   * Ranks of its placement. Above 1 it is one rank of a gang: stopping it
   * stops every rank (a gang runs all or nothing) and requeues the gang once.
   */
  'worldSize': (number);
}
