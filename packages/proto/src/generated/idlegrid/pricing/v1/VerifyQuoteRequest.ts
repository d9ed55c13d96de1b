// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface VerifyQuoteRequest {
  'quoteId'?: (string);
  'accountId'?: (string);
  /**
   * The spec submitted with the quote id; its hash must equal the quoted one.
   */
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
}

export interface VerifyQuoteRequest__Output {
  'quoteId': (string);
  'accountId': (string);
  /**
   * The spec submitted with the quote id; its hash must equal the quoted one.
   */
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
}
