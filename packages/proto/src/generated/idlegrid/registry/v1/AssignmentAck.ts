// Original file: proto/idlegrid/registry/v1/registry.proto


export interface AssignmentAck {
  'assignmentId'?: (string);
}

export interface AssignmentAck__Output {
  'assignmentId': (string);
}
