// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SpendLimit {
  'currency'?: (string);
  'monthlyLimitMicros'?: (number | string | Long);
  /**
   * Charged this month so far (settlements since month_start).
   */
  'spentMicros'?: (number | string | Long);
  /**
   * Held now for unfinished jobs.
   */
  'heldMicros'?: (number | string | Long);
  /**
   * What new holds may still take this month: limit − spent − held, at least 0.
   */
  'remainingMicros'?: (number | string | Long);
  /**
   * RFC 3339: the first instant of this month (UTC).
   */
  'monthStart'?: (string);
  /**
   * RFC 3339.
   */
  'updatedAt'?: (string);
  /**
   * 0: no warning before the limit.
   */
  'alertAtPercent'?: (number);
}

export interface SpendLimit__Output {
  'currency': (string);
  'monthlyLimitMicros': (string);
  /**
   * Charged this month so far (settlements since month_start).
   */
  'spentMicros': (string);
  /**
   * Held now for unfinished jobs.
   */
  'heldMicros': (string);
  /**
   * What new holds may still take this month: limit − spent − held, at least 0.
   */
  'remainingMicros': (string);
  /**
   * RFC 3339: the first instant of this month (UTC).
   */
  'monthStart': (string);
  /**
   * RFC 3339.
   */
  'updatedAt': (string);
  /**
   * 0: no warning before the limit.
   */
  'alertAtPercent': (number);
}
