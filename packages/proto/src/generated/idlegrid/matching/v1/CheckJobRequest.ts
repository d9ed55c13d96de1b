// Original file: proto/idlegrid/matching/v1/matching.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface CheckJobRequest {
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
}

export interface CheckJobRequest__Output {
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
}
