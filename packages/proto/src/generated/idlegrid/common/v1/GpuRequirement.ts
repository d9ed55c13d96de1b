// Original file: proto/idlegrid/common/v1/job.proto


/**
 * What a job needs from the GPUs it runs on.
 */
export interface GpuRequirement {
  /**
   * GPUs on one node.
   */
  'count'?: (number);
  /**
   * Any of these models (e.g. "RTX4090", "H100"); empty means any model.
   */
  'models'?: (string)[];
  /**
   * Minimum memory per GPU, in MiB.
   */
  'minVramMib'?: (number);
}

/**
 * What a job needs from the GPUs it runs on.
 */
export interface GpuRequirement__Output {
  /**
   * GPUs on one node.
   */
  'count': (number);
  /**
   * Any of these models (e.g. "RTX4090", "H100"); empty means any model.
   */
  'models': (string)[];
  /**
   * Minimum memory per GPU, in MiB.
   */
  'minVramMib': (number);
}
