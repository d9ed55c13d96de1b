// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Registered as _idlegrid_registry_v1_Registered, Registered__Output as _idlegrid_registry_v1_Registered__Output } from '../../../idlegrid/registry/v1/Registered.js';
import type { Assignment as _idlegrid_registry_v1_Assignment, Assignment__Output as _idlegrid_registry_v1_Assignment__Output } from '../../../idlegrid/registry/v1/Assignment.js';
import type { CancelAssignment as _idlegrid_registry_v1_CancelAssignment, CancelAssignment__Output as _idlegrid_registry_v1_CancelAssignment__Output } from '../../../idlegrid/registry/v1/CancelAssignment.js';

export interface ControlMessage {
  'registered'?: (_idlegrid_registry_v1_Registered | null);
  'assignment'?: (_idlegrid_registry_v1_Assignment | null);
  'cancel'?: (_idlegrid_registry_v1_CancelAssignment | null);
  'body'?: "registered"|"assignment"|"cancel";
}

export interface ControlMessage__Output {
  'registered'?: (_idlegrid_registry_v1_Registered__Output | null);
  'assignment'?: (_idlegrid_registry_v1_Assignment__Output | null);
  'cancel'?: (_idlegrid_registry_v1_CancelAssignment__Output | null);
  'body'?: "registered"|"assignment"|"cancel";
}
