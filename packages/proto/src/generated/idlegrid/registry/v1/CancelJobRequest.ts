// Original file: proto/idlegrid/registry/v1/registry.proto


export interface CancelJobRequest {
  'jobId'?: (string);
  /**
   * The job's hold (settled for delivered work, if any).
   */
  'holdId'?: (string);
  /**
   * Cancel only a job never placed: one with any run, live or ended, is
   * refused with FAILED_PRECONDITION job_placed (a maxWaitS deadline that
   * raced its placement).
   */
  'onlyIfUnplaced'?: (boolean);
}

export interface CancelJobRequest__Output {
  'jobId': (string);
  /**
   * The job's hold (settled for delivered work, if any).
   */
  'holdId': (string);
  /**
   * Cancel only a job never placed: one with any run, live or ended, is
   * refused with FAILED_PRECONDITION job_placed (a maxWaitS deadline that
   * raced its placement).
   */
  'onlyIfUnplaced': (boolean);
}
