// Original file: proto/idlegrid/matching/v1/matching.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';

export interface SearchOffersRequest {
  /**
   * The requirements (GPUs per node, models, VRAM, versions, regions, price ceiling, reputation…).
   */
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * "price" (cheapest first) | "score" (best first).
   */
  'sort'?: (string);
  'limit'?: (number);
}

export interface SearchOffersRequest__Output {
  /**
   * The requirements (GPUs per node, models, VRAM, versions, regions, price ceiling, reputation…).
   */
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * "price" (cheapest first) | "score" (best first).
   */
  'sort': (string);
  'limit': (number);
}
