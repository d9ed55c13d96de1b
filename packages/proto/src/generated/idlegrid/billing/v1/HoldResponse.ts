// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface HoldResponse {
  'holdId'?: (string);
  /**
   * "pending" | "settled" | "voided" | "expired".
   */
  'state'?: (string);
  'amountMicros'?: (number | string | Long);
  /**
   * RFC 3339; empty for holds that never expire.
   */
  'expiresAt'?: (string);
  /**
   * The rate the hold was placed at: micros of its currency per 1 USD. Its
   * settlement converts USD prices at this rate.
   */
  'microsPerUsd'?: (number | string | Long);
}

export interface HoldResponse__Output {
  'holdId': (string);
  /**
   * "pending" | "settled" | "voided" | "expired".
   */
  'state': (string);
  'amountMicros': (string);
  /**
   * RFC 3339; empty for holds that never expire.
   */
  'expiresAt': (string);
  /**
   * The rate the hold was placed at: micros of its currency per 1 USD. Its
   * settlement converts USD prices at this rate.
   */
  'microsPerUsd': (string);
}
