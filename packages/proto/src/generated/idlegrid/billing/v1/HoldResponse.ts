// Original file: proto/idlegrid/billing/v1/billing.proto

import type { SpendAlert as _idlegrid_billing_v1_SpendAlert, SpendAlert__Output as _idlegrid_billing_v1_SpendAlert__Output } from '../../../idlegrid/billing/v1/SpendAlert.js';
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
  /**
   * Set only on the answer that placed the hold, when it took what its
   * customer was charged and holds this month to the alert share of their
   * monthly limit (from under it).
   */
  'spendAlert'?: (_idlegrid_billing_v1_SpendAlert | null);
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
  /**
   * Set only on the answer that placed the hold, when it took what its
   * customer was charged and holds this month to the alert share of their
   * monthly limit (from under it).
   */
  'spendAlert': (_idlegrid_billing_v1_SpendAlert__Output | null);
}
