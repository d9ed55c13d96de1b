// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A transfer as a statement or invoice shows it.
 */
export interface LedgerEntry {
  'transferId'?: (string);
  /**
   * Position in its currency's hash chain, and its hash.
   */
  'seq'?: (number | string | Long);
  'hash'?: (string);
  /**
   * RFC 3339.
   */
  'postedAt'?: (string);
  'kind'?: (string);
  'reference'?: (string);
  /**
   * Signed in statements (negative: debited); positive in invoices.
   */
  'amountMicros'?: (number | string | Long);
  'balanceAfterMicros'?: (number | string | Long);
}

/**
 * A transfer as a statement or invoice shows it.
 */
export interface LedgerEntry__Output {
  'transferId': (string);
  /**
   * Position in its currency's hash chain, and its hash.
   */
  'seq': (string);
  'hash': (string);
  /**
   * RFC 3339.
   */
  'postedAt': (string);
  'kind': (string);
  'reference': (string);
  /**
   * Signed in statements (negative: debited); positive in invoices.
   */
  'amountMicros': (string);
  'balanceAfterMicros': (string);
}
