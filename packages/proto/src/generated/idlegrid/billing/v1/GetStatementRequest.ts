// Original file: proto/idlegrid/billing/v1/billing.proto


export interface GetStatementRequest {
  'ownerId'?: (string);
  'currency'?: (string);
  /**
   * RFC 3339; defaults: the 30 days up to now.
   */
  'from'?: (string);
  'to'?: (string);
}

export interface GetStatementRequest__Output {
  'ownerId': (string);
  'currency': (string);
  /**
   * RFC 3339; defaults: the 30 days up to now.
   */
  'from': (string);
  'to': (string);
}
