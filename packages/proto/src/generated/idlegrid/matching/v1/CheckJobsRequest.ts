// Original file: proto/idlegrid/matching/v1/matching.proto

import type { CheckJobRequest as _idlegrid_matching_v1_CheckJobRequest, CheckJobRequest__Output as _idlegrid_matching_v1_CheckJobRequest__Output } from '../../../idlegrid/matching/v1/CheckJobRequest.js';

export interface CheckJobsRequest {
  'checks'?: (_idlegrid_matching_v1_CheckJobRequest)[];
}

export interface CheckJobsRequest__Output {
  'checks': (_idlegrid_matching_v1_CheckJobRequest__Output)[];
}
