// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface RefundHoldsRequest {
  /**
   * Holds of one customer and currency (a job's; a render job's chunks).
   */
  'holdIds'?: (string)[];
  /**
   * Why (kept in the reversals' references and on the holds), e.g. "the node returned garbage".
   */
  'reason'?: (string);
  /**
   * How much to give back, shared across the holds' settlement transfers in
   * proportion; 0: all they charged.
   */
  'amountMicros'?: (number | string | Long);
}

export interface RefundHoldsRequest__Output {
  /**
   * Holds of one customer and currency (a job's; a render job's chunks).
   */
  'holdIds': (string)[];
  /**
   * Why (kept in the reversals' references and on the holds), e.g. "the node returned garbage".
   */
  'reason': (string);
  /**
   * How much to give back, shared across the holds' settlement transfers in
   * proportion; 0: all they charged.
   */
  'amountMicros': (string);
}
