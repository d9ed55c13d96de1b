// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface PriceJob {
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * With quote_id: the submitting account, whose quote it must be.
   */
  'accountId'?: (string);
  /**
   * Empty: priced now, neither stored nor signed.
   */
  'quoteId'?: (string);
}

export interface PriceJob__Output {
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * With quote_id: the submitting account, whose quote it must be.
   */
  'accountId': (string);
  /**
   * Empty: priced now, neither stored nor signed.
   */
  'quoteId': (string);
}
