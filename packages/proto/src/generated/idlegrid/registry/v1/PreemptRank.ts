// Original file: proto/idlegrid/registry/v1/registry.proto


/**
 * A rank's node, the runs to stop there for it (none: a gang rank on free
 * GPUs) and the GPUs to hold for the job once they stop.
 */
export interface PreemptRank {
  'nodeId'?: (string);
  /**
   * Runs to stop; each must be interruptible, single-node, live and on node_id.
   */
  'assignmentIds'?: (string)[];
  'gpuIndexes'?: (number)[];
}

/**
 * A rank's node, the runs to stop there for it (none: a gang rank on free
 * GPUs) and the GPUs to hold for the job once they stop.
 */
export interface PreemptRank__Output {
  'nodeId': (string);
  /**
   * Runs to stop; each must be interruptible, single-node, live and on node_id.
   */
  'assignmentIds': (string)[];
  'gpuIndexes': (number)[];
}
