// Original file: proto/idlegrid/registry/v1/registry.proto


export interface PreemptRunsResponse {
  /**
   * The runs now being stopped (already-stopping ones included).
   */
  'assignmentIds'?: (string)[];
  /**
   * When the held GPUs go back to anyone if the job has not taken them (RFC 3339).
   */
  'heldUntil'?: (string);
}

export interface PreemptRunsResponse__Output {
  /**
   * The runs now being stopped (already-stopping ones included).
   */
  'assignmentIds': (string)[];
  /**
   * When the held GPUs go back to anyone if the job has not taken them (RFC 3339).
   */
  'heldUntil': (string);
}
