// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface EmitIncentivesResponse {
  /**
   * Share of the base rate paid at this utilisation.
   */
  'shareBps'?: (number);
  /**
   * What the rate alone would pay, and what was paid after the cap and the pool.
   */
  'claimedMicros'?: (number | string | Long);
  'emittedMicros'?: (number | string | Long);
  'created'?: (number);
  /**
   * Transfers that already existed (the epoch was reported before).
   */
  'existed'?: (number);
  'poolMicros'?: (number | string | Long);
}

export interface EmitIncentivesResponse__Output {
  /**
   * Share of the base rate paid at this utilisation.
   */
  'shareBps': (number);
  /**
   * What the rate alone would pay, and what was paid after the cap and the pool.
   */
  'claimedMicros': (string);
  'emittedMicros': (string);
  'created': (number);
  /**
   * Transfers that already existed (the epoch was reported before).
   */
  'existed': (number);
  'poolMicros': (string);
}
