// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface ConversionRate {
  'currency'?: (string);
  'microsPerUsd'?: (number | string | Long);
  'setBy'?: (string);
  /**
   * RFC 3339.
   */
  'updatedAt'?: (string);
}

export interface ConversionRate__Output {
  'currency': (string);
  'microsPerUsd': (string);
  'setBy': (string);
  /**
   * RFC 3339.
   */
  'updatedAt': (string);
}
