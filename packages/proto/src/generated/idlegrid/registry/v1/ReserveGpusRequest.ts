// Original file: proto/idlegrid/registry/v1/registry.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';
import type { RankPlacement as _idlegrid_registry_v1_RankPlacement, RankPlacement__Output as _idlegrid_registry_v1_RankPlacement__Output } from '../../../idlegrid/registry/v1/RankPlacement.js';

export interface ReserveGpusRequest {
  'jobId'?: (string);
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * The customer's funds hold; settlement captures it.
   */
  'holdId'?: (string);
  'customerId'?: (string);
  /**
   * One entry per rank, rank 0 first: exactly these GPUs must be free on
   * each node; all are taken together or none. Nodes must be distinct.
   */
  'ranks'?: (_idlegrid_registry_v1_RankPlacement)[];
}

export interface ReserveGpusRequest__Output {
  'jobId': (string);
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * The customer's funds hold; settlement captures it.
   */
  'holdId': (string);
  'customerId': (string);
  /**
   * One entry per rank, rank 0 first: exactly these GPUs must be free on
   * each node; all are taken together or none. Nodes must be distinct.
   */
  'ranks': (_idlegrid_registry_v1_RankPlacement__Output)[];
}
