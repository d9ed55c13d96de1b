// Original file: proto/idlegrid/billing/v1/billing.proto


export interface ReverseTransferRequest {
  'transferId'?: (string);
  /**
   * Why (kept in the reversal's reference), e.g. "chargeback".
   */
  'reason'?: (string);
}

export interface ReverseTransferRequest__Output {
  'transferId': (string);
  /**
   * Why (kept in the reversal's reference), e.g. "chargeback".
   */
  'reason': (string);
}
