// Original file: proto/idlegrid/billing/v1/billing.proto

import type { LedgerEntry as _idlegrid_billing_v1_LedgerEntry, LedgerEntry__Output as _idlegrid_billing_v1_LedgerEntry__Output } from '../../../idlegrid/billing/v1/LedgerEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface AccountStatement {
  'accountId'?: (string);
  /**
   * "available" | "held" | "earned".
   */
  'kind'?: (string);
  'openingMicros'?: (number | string | Long);
  'closingMicros'?: (number | string | Long);
  'creditsMicros'?: (number | string | Long);
  'debitsMicros'?: (number | string | Long);
  'entries'?: (_idlegrid_billing_v1_LedgerEntry)[];
  /**
   * Every entry's balance after follows from the opening balance.
   */
  'consistent'?: (boolean);
}

export interface AccountStatement__Output {
  'accountId': (string);
  /**
   * "available" | "held" | "earned".
   */
  'kind': (string);
  'openingMicros': (string);
  'closingMicros': (string);
  'creditsMicros': (string);
  'debitsMicros': (string);
  'entries': (_idlegrid_billing_v1_LedgerEntry__Output)[];
  /**
   * Every entry's balance after follows from the opening balance.
   */
  'consistent': (boolean);
}
