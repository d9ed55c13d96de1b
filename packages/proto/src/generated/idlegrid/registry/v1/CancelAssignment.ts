// Original file: proto/idlegrid/registry/v1/registry.proto


/**
 * Stop an assignment: SIGTERM, then SIGKILL after grace_s.
 */
export interface CancelAssignment {
  'assignmentId'?: (string);
  /**
   * "cancelled" | "preempted" | "lost" | "gang_failed"
   */
  'reason'?: (string);
  'graceS'?: (number);
}

/**
 * Stop an assignment: SIGTERM, then SIGKILL after grace_s.
 */
export interface CancelAssignment__Output {
  'assignmentId': (string);
  /**
   * "cancelled" | "preempted" | "lost" | "gang_failed"
   */
  'reason': (string);
  'graceS': (number);
}
