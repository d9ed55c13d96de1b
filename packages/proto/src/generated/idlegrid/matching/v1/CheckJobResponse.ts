// Original file: proto/idlegrid/matching/v1/matching.proto

import type { RejectionCount as _idlegrid_matching_v1_RejectionCount, RejectionCount__Output as _idlegrid_matching_v1_RejectionCount__Output } from '../../../idlegrid/matching/v1/RejectionCount.js';
import type { Long } from '@grpc/proto-loader';

export interface CheckJobResponse {
  'satisfiable'?: (boolean);
  'nodesConsidered'?: (number);
  /**
   * Why nodes could not run it (counted on the fleet as if idle and online).
   */
  'rejections'?: (_idlegrid_matching_v1_RejectionCount)[];
  'summary'?: (string);
  'hints'?: (string)[];
  /**
   * Set when the offered price was too low for any nodes that could run the
   * job (a gang needing more nodes that cheap than there are): the least max
   * price per GPU-hour under which it could (micros of USD). 0 otherwise.
   */
  'runnableFromMicros'?: (number | string | Long);
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
  /**
   * Set when the offered price was too low for any nodes that could run the
   * job (a gang needing more nodes that cheap than there are): the least max
   * price per GPU-hour under which it could (micros of USD). 0 otherwise.
   */
  'runnableFromMicros': (string);
}
