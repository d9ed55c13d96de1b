// Original file: proto/idlegrid/billing/v1/billing.proto

import type { HoldResponse as _idlegrid_billing_v1_HoldResponse, HoldResponse__Output as _idlegrid_billing_v1_HoldResponse__Output } from '../../../idlegrid/billing/v1/HoldResponse.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from '../../../idlegrid/common/v1/Problem.js';

export interface HoldOutcome {
  'hold'?: (_idlegrid_billing_v1_HoldResponse | null);
  'problem'?: (_idlegrid_common_v1_Problem | null);
  'outcome'?: "hold"|"problem";
}

export interface HoldOutcome__Output {
  'hold'?: (_idlegrid_billing_v1_HoldResponse__Output | null);
  'problem'?: (_idlegrid_common_v1_Problem__Output | null);
  'outcome'?: "hold"|"problem";
}
