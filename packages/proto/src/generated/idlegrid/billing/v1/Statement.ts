// Original file: proto/idlegrid/billing/v1/billing.proto

import type { AccountStatement as _idlegrid_billing_v1_AccountStatement, AccountStatement__Output as _idlegrid_billing_v1_AccountStatement__Output } from '../../../idlegrid/billing/v1/AccountStatement.js';
import type { Long } from '@grpc/proto-loader';

export interface Statement {
  'ownerId'?: (string);
  'currency'?: (string);
  'from'?: (string);
  'to'?: (string);
  'accounts'?: (_idlegrid_billing_v1_AccountStatement)[];
  /**
   * The currency's chain at the end of the period: anchors the statement.
   */
  'chainSeq'?: (number | string | Long);
  'chainHash'?: (string);
}

export interface Statement__Output {
  'ownerId': (string);
  'currency': (string);
  'from': (string);
  'to': (string);
  'accounts': (_idlegrid_billing_v1_AccountStatement__Output)[];
  /**
   * The currency's chain at the end of the period: anchors the statement.
   */
  'chainSeq': (string);
  'chainHash': (string);
}
