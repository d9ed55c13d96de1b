// Original file: proto/idlegrid/billing/v1/billing.proto

import type { InvoiceLine as _idlegrid_billing_v1_InvoiceLine, InvoiceLine__Output as _idlegrid_billing_v1_InvoiceLine__Output } from '../../../idlegrid/billing/v1/InvoiceLine.js';
import type { LedgerEntry as _idlegrid_billing_v1_LedgerEntry, LedgerEntry__Output as _idlegrid_billing_v1_LedgerEntry__Output } from '../../../idlegrid/billing/v1/LedgerEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface Invoice {
  'holdId'?: (string);
  /**
   * The job the hold was for.
   */
  'reference'?: (string);
  'customerId'?: (string);
  'currency'?: (string);
  'microsPerUsd'?: (number | string | Long);
  'feeBps'?: (number);
  'state'?: (string);
  'placedAt'?: (string);
  /**
   * Empty while pending.
   */
  'resolvedAt'?: (string);
  'heldMicros'?: (number | string | Long);
  'chargedMicros'?: (number | string | Long);
  'feeMicros'?: (number | string | Long);
  'providerMicros'?: (number | string | Long);
  'releasedMicros'?: (number | string | Long);
  'lines'?: (_idlegrid_billing_v1_InvoiceLine)[];
  'transfers'?: (_idlegrid_billing_v1_LedgerEntry)[];
  /**
   * The lines add up to the hold's totals.
   */
  'consistent'?: (boolean);
  /**
   * Refunded by an operator (0: not refunded): what was given back, when and why.
   */
  'refundedMicros'?: (number | string | Long);
  'refundedAt'?: (string);
  'refundReason'?: (string);
}

export interface Invoice__Output {
  'holdId': (string);
  /**
   * The job the hold was for.
   */
  'reference': (string);
  'customerId': (string);
  'currency': (string);
  'microsPerUsd': (string);
  'feeBps': (number);
  'state': (string);
  'placedAt': (string);
  /**
   * Empty while pending.
   */
  'resolvedAt': (string);
  'heldMicros': (string);
  'chargedMicros': (string);
  'feeMicros': (string);
  'providerMicros': (string);
  'releasedMicros': (string);
  'lines': (_idlegrid_billing_v1_InvoiceLine__Output)[];
  'transfers': (_idlegrid_billing_v1_LedgerEntry__Output)[];
  /**
   * The lines add up to the hold's totals.
   */
  'consistent': (boolean);
  /**
   * Refunded by an operator (0: not refunded): what was given back, when and why.
   */
  'refundedMicros': (string);
  'refundedAt': (string);
  'refundReason': (string);
}
