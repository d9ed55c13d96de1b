// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Register as _idlegrid_registry_v1_Register, Register__Output as _idlegrid_registry_v1_Register__Output } from '../../../idlegrid/registry/v1/Register.js';
import type { Heartbeat as _idlegrid_registry_v1_Heartbeat, Heartbeat__Output as _idlegrid_registry_v1_Heartbeat__Output } from '../../../idlegrid/registry/v1/Heartbeat.js';
import type { AssignmentAck as _idlegrid_registry_v1_AssignmentAck, AssignmentAck__Output as _idlegrid_registry_v1_AssignmentAck__Output } from '../../../idlegrid/registry/v1/AssignmentAck.js';
import type { Progress as _idlegrid_registry_v1_Progress, Progress__Output as _idlegrid_registry_v1_Progress__Output } from '../../../idlegrid/registry/v1/Progress.js';
import type { Completion as _idlegrid_registry_v1_Completion, Completion__Output as _idlegrid_registry_v1_Completion__Output } from '../../../idlegrid/registry/v1/Completion.js';
import type { Leaving as _idlegrid_registry_v1_Leaving, Leaving__Output as _idlegrid_registry_v1_Leaving__Output } from '../../../idlegrid/registry/v1/Leaving.js';

export interface AgentMessage {
  'register'?: (_idlegrid_registry_v1_Register | null);
  'heartbeat'?: (_idlegrid_registry_v1_Heartbeat | null);
  'ack'?: (_idlegrid_registry_v1_AssignmentAck | null);
  'progress'?: (_idlegrid_registry_v1_Progress | null);
  'completion'?: (_idlegrid_registry_v1_Completion | null);
  'leaving'?: (_idlegrid_registry_v1_Leaving | null);
  'body'?: "register"|"heartbeat"|"ack"|"progress"|"completion"|"leaving";
}

export interface AgentMessage__Output {
  'register'?: (_idlegrid_registry_v1_Register__Output | null);
  'heartbeat'?: (_idlegrid_registry_v1_Heartbeat__Output | null);
  'ack'?: (_idlegrid_registry_v1_AssignmentAck__Output | null);
  'progress'?: (_idlegrid_registry_v1_Progress__Output | null);
  'completion'?: (_idlegrid_registry_v1_Completion__Output | null);
  'leaving'?: (_idlegrid_registry_v1_Leaving__Output | null);
  'body'?: "register"|"heartbeat"|"ack"|"progress"|"completion"|"leaving";
}
