// Original file: proto/idlegrid/billing/v1/billing.proto


export interface RefundHoldRequest {
  'holdId'?: (string);
  /**
   * Why (kept in the reversals' references and on the hold), e.g. "the node returned garbage".
   */
  'reason'?: (string);
}

export interface RefundHoldRequest__Output {
  'holdId': (string);
  /**
   * Why (kept in the reversals' references and on the hold), e.g. "the node returned garbage".
   */
  'reason': (string);
}
