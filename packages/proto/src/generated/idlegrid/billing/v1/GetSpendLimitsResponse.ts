// Original file: proto/idlegrid/billing/v1/billing.proto

import type { SpendLimit as _idlegrid_billing_v1_SpendLimit, SpendLimit__Output as _idlegrid_billing_v1_SpendLimit__Output } from '../../../idlegrid/billing/v1/SpendLimit.js';

export interface GetSpendLimitsResponse {
  'limits'?: (_idlegrid_billing_v1_SpendLimit)[];
}

export interface GetSpendLimitsResponse__Output {
  'limits': (_idlegrid_billing_v1_SpendLimit__Output)[];
}
