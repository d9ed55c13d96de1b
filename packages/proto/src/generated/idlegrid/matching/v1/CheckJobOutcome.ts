// Original file: proto/idlegrid/matching/v1/matching.proto

import type { CheckJobResponse as _idlegrid_matching_v1_CheckJobResponse, CheckJobResponse__Output as _idlegrid_matching_v1_CheckJobResponse__Output } from '../../../idlegrid/matching/v1/CheckJobResponse.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from '../../../idlegrid/common/v1/Problem.js';

export interface CheckJobOutcome {
  'check'?: (_idlegrid_matching_v1_CheckJobResponse | null);
  'problem'?: (_idlegrid_common_v1_Problem | null);
  'outcome'?: "check"|"problem";
}

export interface CheckJobOutcome__Output {
  'check'?: (_idlegrid_matching_v1_CheckJobResponse__Output | null);
  'problem'?: (_idlegrid_common_v1_Problem__Output | null);
  'outcome'?: "check"|"problem";
}
