// Original file: proto/idlegrid/billing/v1/billing.proto


export interface RefundHoldsRequest {
  /**
   * Holds of one customer and currency (a job's; a render job's chunks).
   */
  'holdIds'?: (string)[];
  /**
   * Why (kept in the reversals' references and on the holds), e.g. "the node returned garbage".
   */
  'reason'?: (string);
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
}
