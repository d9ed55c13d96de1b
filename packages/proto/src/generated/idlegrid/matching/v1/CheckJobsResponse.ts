// Original file: proto/idlegrid/matching/v1/matching.proto

import type { CheckJobOutcome as _idlegrid_matching_v1_CheckJobOutcome, CheckJobOutcome__Output as _idlegrid_matching_v1_CheckJobOutcome__Output } from '../../../idlegrid/matching/v1/CheckJobOutcome.js';

export interface CheckJobsResponse {
  /**
   * One per check, in the order asked.
   */
  'outcomes'?: (_idlegrid_matching_v1_CheckJobOutcome)[];
}

export interface CheckJobsResponse__Output {
  /**
   * One per check, in the order asked.
   */
  'outcomes': (_idlegrid_matching_v1_CheckJobOutcome__Output)[];
}
