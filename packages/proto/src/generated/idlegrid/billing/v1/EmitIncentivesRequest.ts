// Original file: proto/idlegrid/billing/v1/billing.proto

import type { ProviderIdle as _idlegrid_billing_v1_ProviderIdle, ProviderIdle__Output as _idlegrid_billing_v1_ProviderIdle__Output } from '../../../idlegrid/billing/v1/ProviderIdle.js';

export interface EmitIncentivesRequest {
  'epochId'?: (string);
  /**
   * Fleet utilisation over the epoch, basis points.
   */
  'utilisationBps'?: (number);
  'providers'?: (_idlegrid_billing_v1_ProviderIdle)[];
}

export interface EmitIncentivesRequest__Output {
  'epochId': (string);
  /**
   * Fleet utilisation over the epoch, basis points.
   */
  'utilisationBps': (number);
  'providers': (_idlegrid_billing_v1_ProviderIdle__Output)[];
}
