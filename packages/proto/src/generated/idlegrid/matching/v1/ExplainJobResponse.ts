// Original file: proto/idlegrid/matching/v1/matching.proto

import type { RejectionCount as _idlegrid_matching_v1_RejectionCount, RejectionCount__Output as _idlegrid_matching_v1_RejectionCount__Output } from '../../../idlegrid/matching/v1/RejectionCount.js';
import type { Candidate as _idlegrid_matching_v1_Candidate, Candidate__Output as _idlegrid_matching_v1_Candidate__Output } from '../../../idlegrid/matching/v1/Candidate.js';

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
  /**
   * The best candidates, best first, with each score plugin's 0-100 score.
   */
  'candidates'?: (_idlegrid_matching_v1_Candidate)[];
  /**
   * True when no registered node could run the job even if every GPU were free.
   */
  'unsatisfiable'?: (boolean);
  /**
   * What would make a waiting job fit, e.g. "raise the max price to 0.62 USD/GPU-hour: 40 more nodes".
   */
  'hints'?: (string)[];
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
  /**
   * The best candidates, best first, with each score plugin's 0-100 score.
   */
  'candidates': (_idlegrid_matching_v1_Candidate__Output)[];
  /**
   * True when no registered node could run the job even if every GPU were free.
   */
  'unsatisfiable': (boolean);
  /**
   * What would make a waiting job fit, e.g. "raise the max price to 0.62 USD/GPU-hour: 40 more nodes".
   */
  'hints': (string)[];
}
