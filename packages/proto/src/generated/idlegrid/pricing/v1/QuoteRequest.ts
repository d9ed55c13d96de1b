// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';
import type { Long } from '@grpc/proto-loader';

export interface QuoteRequest {
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * The customer the quote is for; empty: a price only, neither stored nor signed.
   */
  'accountId'?: (string);
  /**
   * The least price per GPU-hour at which the spec could ever run (matching's
   * check; micros of USD, 0: not asked). A market or reference price below it
   * is raised to it, so the quote is a price the job can run at.
   */
  'runnableFromMicros'?: (number | string | Long);
}

export interface QuoteRequest__Output {
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * The customer the quote is for; empty: a price only, neither stored nor signed.
   */
  'accountId': (string);
  /**
   * The least price per GPU-hour at which the spec could ever run (matching's
   * check; micros of USD, 0: not asked). A market or reference price below it
   * is raised to it, so the quote is a price the job can run at.
   */
  'runnableFromMicros': (string);
}
