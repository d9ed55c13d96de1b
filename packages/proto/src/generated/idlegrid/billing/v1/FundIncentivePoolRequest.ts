// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface FundIncentivePoolRequest {
  'fundingId'?: (string);
  'amountMicros'?: (number | string | Long);
  /**
   * The rail the GRID comes from, e.g. "treasury".
   */
  'rail'?: (string);
}

export interface FundIncentivePoolRequest__Output {
  'fundingId': (string);
  'amountMicros': (string);
  /**
   * The rail the GRID comes from, e.g. "treasury".
   */
  'rail': (string);
}
