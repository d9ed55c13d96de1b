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
}
