// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface QuoteRequest {
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * The customer the quote is for; empty: a price only, neither stored nor signed.
   */
  'accountId'?: (string);
}

export interface QuoteRequest__Output {
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * The customer the quote is for; empty: a price only, neither stored nor signed.
   */
  'accountId': (string);
}
