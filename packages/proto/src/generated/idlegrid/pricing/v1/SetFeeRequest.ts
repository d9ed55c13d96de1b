// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface SetFeeRequest {
  'currency'?: (string);
  /**
   * 0..10000 basis points of each settled amount; applies to quotes issued from now on.
   */
  'feeBps'?: (number);
}

export interface SetFeeRequest__Output {
  'currency': (string);
  /**
   * 0..10000 basis points of each settled amount; applies to quotes issued from now on.
   */
  'feeBps': (number);
}
