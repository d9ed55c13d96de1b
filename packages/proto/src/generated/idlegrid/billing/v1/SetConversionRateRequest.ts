// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface SetConversionRateRequest {
  'currency'?: (string);
  /**
   * Micros of `currency` per 1 USD; USD itself is always 1000000.
   */
  'microsPerUsd'?: (number | string | Long);
  /**
   * Who set it (an operator's account id), kept in the rate's history.
   */
  'setBy'?: (string);
}

export interface SetConversionRateRequest__Output {
  'currency': (string);
  /**
   * Micros of `currency` per 1 USD; USD itself is always 1000000.
   */
  'microsPerUsd': (string);
  /**
   * Who set it (an operator's account id), kept in the rate's history.
   */
  'setBy': (string);
}
