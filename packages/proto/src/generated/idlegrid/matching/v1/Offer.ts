// Original file: proto/idlegrid/matching/v1/matching.proto

import type { OfferedGpu as _idlegrid_matching_v1_OfferedGpu, OfferedGpu__Output as _idlegrid_matching_v1_OfferedGpu__Output } from '../../../idlegrid/matching/v1/OfferedGpu.js';
import type { Long } from '@grpc/proto-loader';

export interface Offer {
  'nodeId'?: (string);
  'providerId'?: (string);
  'region'?: (string);
  'country'?: (string);
  /**
   * The GPUs the job would get now.
   */
  'gpus'?: (_idlegrid_matching_v1_OfferedGpu)[];
  'freeGpus'?: (number);
  'totalGpus'?: (number);
  'pricePerGpuHourMicros'?: (number | string | Long);
  'reputation'?: (number | string);
  /**
   * 0..100: how much matching would prefer this node.
   */
  'score'?: (number | string);
  /**
   * Lent only in its provider's hours: when they close (Unix ms); 0: no end.
   */
  'openUntilMs'?: (number | string | Long);
}

export interface Offer__Output {
  'nodeId': (string);
  'providerId': (string);
  'region': (string);
  'country': (string);
  /**
   * The GPUs the job would get now.
   */
  'gpus': (_idlegrid_matching_v1_OfferedGpu__Output)[];
  'freeGpus': (number);
  'totalGpus': (number);
  'pricePerGpuHourMicros': (string);
  'reputation': (number);
  /**
   * 0..100: how much matching would prefer this node.
   */
  'score': (number);
  /**
   * Lent only in its provider's hours: when they close (Unix ms); 0: no end.
   */
  'openUntilMs': (string);
}
