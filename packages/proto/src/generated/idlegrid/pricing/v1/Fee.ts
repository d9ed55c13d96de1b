// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface Fee {
  'currency'?: (string);
  'feeBps'?: (number);
  /**
   * RFC 3339.
   */
  'updatedAt'?: (string);
}

export interface Fee__Output {
  'currency': (string);
  'feeBps': (number);
  /**
   * RFC 3339.
   */
  'updatedAt': (string);
}
