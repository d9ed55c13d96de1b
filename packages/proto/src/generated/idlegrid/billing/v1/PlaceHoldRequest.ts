// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface PlaceHoldRequest {
  'holdId'?: (string);
  'customerId'?: (string);
  'currency'?: (string);
  'amountMicros'?: (number | string | Long);
  /**
   * What the hold is for, e.g. the job id.
   */
  'reference'?: (string);
  /**
   * Platform fee (basis points) agreed when the hold was placed; settlement applies it.
   */
  'feeBps'?: (number);
  /**
   * Seconds until an unresolved hold expires and returns to the customer;
   * 0 takes the service's HOLD_TTL_S. Must outlast the job's queueing and run.
   */
  'ttlSeconds'?: (number);
  /**
   * Instead of amount_micros: the amount in USD micros, converted into
   * `currency` at its current rate (rounded up). Exactly one of the two.
   */
  'usdAmountMicros'?: (number | string | Long);
}

export interface PlaceHoldRequest__Output {
  'holdId': (string);
  'customerId': (string);
  'currency': (string);
  'amountMicros': (string);
  /**
   * What the hold is for, e.g. the job id.
   */
  'reference': (string);
  /**
   * Platform fee (basis points) agreed when the hold was placed; settlement applies it.
   */
  'feeBps': (number);
  /**
   * Seconds until an unresolved hold expires and returns to the customer;
   * 0 takes the service's HOLD_TTL_S. Must outlast the job's queueing and run.
   */
  'ttlSeconds': (number);
  /**
   * Instead of amount_micros: the amount in USD micros, converted into
   * `currency` at its current rate (rounded up). Exactly one of the two.
   */
  'usdAmountMicros': (string);
}
