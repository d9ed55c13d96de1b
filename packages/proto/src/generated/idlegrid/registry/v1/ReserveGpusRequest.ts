// Original file: proto/idlegrid/registry/v1/registry.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface ReserveGpusRequest {
  'jobId'?: (string);
  'nodeId'?: (string);
  /**
   * Exactly these GPU indexes must be free; they are taken together or not at all.
   */
  'gpuIndexes'?: (number)[];
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * The customer's funds hold; settlement captures it.
   */
  'holdId'?: (string);
  'customerId'?: (string);
}

export interface ReserveGpusRequest__Output {
  'jobId': (string);
  'nodeId': (string);
  /**
   * Exactly these GPU indexes must be free; they are taken together or not at all.
   */
  'gpuIndexes': (number)[];
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * The customer's funds hold; settlement captures it.
   */
  'holdId': (string);
  'customerId': (string);
}
