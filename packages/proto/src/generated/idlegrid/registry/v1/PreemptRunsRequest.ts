// Original file: proto/idlegrid/registry/v1/registry.proto

import type { PreemptRank as _idlegrid_registry_v1_PreemptRank, PreemptRank__Output as _idlegrid_registry_v1_PreemptRank__Output } from '../../../idlegrid/registry/v1/PreemptRank.js';

export interface PreemptRunsRequest {
  /**
   * The job the GPUs are reclaimed for.
   */
  'jobId'?: (string);
  /**
   * SIGTERM → SIGKILL grace given to each victim's process.
   */
  'graceS'?: (number);
  /**
   * One per rank of the job (a single-node job: one), in rank order.
   */
  'ranks'?: (_idlegrid_registry_v1_PreemptRank)[];
}

export interface PreemptRunsRequest__Output {
  /**
   * The job the GPUs are reclaimed for.
   */
  'jobId': (string);
  /**
   * SIGTERM → SIGKILL grace given to each victim's process.
   */
  'graceS': (number);
  /**
   * One per rank of the job (a single-node job: one), in rank order.
   */
  'ranks': (_idlegrid_registry_v1_PreemptRank__Output)[];
}
