// Original file: proto/idlegrid/matching/v1/matching.proto

import type { RejectionCount as _idlegrid_matching_v1_RejectionCount, RejectionCount__Output as _idlegrid_matching_v1_RejectionCount__Output } from '../../../idlegrid/matching/v1/RejectionCount.js';

export interface CheckJobResponse {
  'satisfiable'?: (boolean);
  'nodesConsidered'?: (number);
  /**
   * Why nodes could not run it (counted on the fleet as if idle and online).
   */
  'rejections'?: (_idlegrid_matching_v1_RejectionCount)[];
  'summary'?: (string);
  'hints'?: (string)[];
}

export interface CheckJobResponse__Output {
  'satisfiable': (boolean);
  'nodesConsidered': (number);
  /**
   * Why nodes could not run it (counted on the fleet as if idle and online).
   */
  'rejections': (_idlegrid_matching_v1_RejectionCount__Output)[];
  'summary': (string);
  'hints': (string)[];
}
