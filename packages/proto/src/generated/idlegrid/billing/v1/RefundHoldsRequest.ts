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
  /**
   * Only answer a refund of these holds already made with this reason and
   * amount; refund nothing (FAILED_PRECONDITION not_refunded when none was):
   * how the gateway finds out what a request it did not see answered did.
   */
  'lookOnly'?: (boolean);
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
  /**
   * Only answer a refund of these holds already made with this reason and
   * amount; refund nothing (FAILED_PRECONDITION not_refunded when none was):
   * how the gateway finds out what a request it did not see answered did.
   */
  'lookOnly': (boolean);
}
