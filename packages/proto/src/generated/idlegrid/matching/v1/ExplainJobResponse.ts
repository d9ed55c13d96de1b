// Original file: proto/idlegrid/matching/v1/matching.proto

import type { RejectionCount as _idlegrid_matching_v1_RejectionCount, RejectionCount__Output as _idlegrid_matching_v1_RejectionCount__Output } from '../../../idlegrid/matching/v1/RejectionCount.js';

export interface ExplainJobResponse {
  'jobId'?: (string);
  /**
   * "placed" | "waiting".
   */
  'outcome'?: (string);
  'nodeId'?: (string);
  'nodesConsidered'?: (number);
  'rejections'?: (_idlegrid_matching_v1_RejectionCount)[];
  /**
   * A sentence a customer can read, e.g. "0/3 nodes fit: 2 gpu model, 1 min vram".
   */
  'summary'?: (string);
  'decidedAt'?: (string);
}

export interface ExplainJobResponse__Output {
  'jobId': (string);
  /**
   * "placed" | "waiting".
   */
  'outcome': (string);
  'nodeId': (string);
  'nodesConsidered': (number);
  'rejections': (_idlegrid_matching_v1_RejectionCount__Output)[];
  /**
   * A sentence a customer can read, e.g. "0/3 nodes fit: 2 gpu model, 1 min vram".
   */
  'summary': (string);
  'decidedAt': (string);
}
