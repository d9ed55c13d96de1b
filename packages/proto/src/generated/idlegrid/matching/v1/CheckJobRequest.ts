// Original file: proto/idlegrid/matching/v1/matching.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';
import type { Long } from '@grpc/proto-loader';

export interface CheckJobRequest {
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * For a spec with no max price of its own: the price per GPU-hour the
   * platform would hold it to (micros of USD; 0: none). The spec is checked
   * under it; when only a higher price lets it ever run, the answer's
   * runnable_from_micros says the least such price.
   */
  'offeredPriceMicros'?: (number | string | Long);
}

export interface CheckJobRequest__Output {
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * For a spec with no max price of its own: the price per GPU-hour the
   * platform would hold it to (micros of USD; 0: none). The spec is checked
   * under it; when only a higher price lets it ever run, the answer's
   * runnable_from_micros says the least such price.
   */
  'offeredPriceMicros': (string);
}
