// Original file: proto/idlegrid/billing/v1/billing.proto

import type { ConversionRate as _idlegrid_billing_v1_ConversionRate, ConversionRate__Output as _idlegrid_billing_v1_ConversionRate__Output } from '../../../idlegrid/billing/v1/ConversionRate.js';

export interface ListConversionRatesResponse {
  'rates'?: (_idlegrid_billing_v1_ConversionRate)[];
}

export interface ListConversionRatesResponse__Output {
  'rates': (_idlegrid_billing_v1_ConversionRate__Output)[];
}
