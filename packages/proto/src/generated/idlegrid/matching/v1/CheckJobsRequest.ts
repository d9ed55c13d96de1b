// Original file: proto/idlegrid/matching/v1/matching.proto

import type { CheckJobRequest as _idlegrid_matching_v1_CheckJobRequest, CheckJobRequest__Output as _idlegrid_matching_v1_CheckJobRequest__Output } from '../../../idlegrid/matching/v1/CheckJobRequest.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from '../../../idlegrid/common/v1/TraceContext.js';

export interface CheckJobsRequest {
  'checks'?: (_idlegrid_matching_v1_CheckJobRequest)[];
  /**
   * One per check, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces'?: (_idlegrid_common_v1_TraceContext)[];
}

export interface CheckJobsRequest__Output {
  'checks': (_idlegrid_matching_v1_CheckJobRequest__Output)[];
  /**
   * One per check, in order: the trace each belongs to (may be shorter or empty).
   */
  'traces': (_idlegrid_common_v1_TraceContext__Output)[];
}
