// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface GetQuoteRequest {
  'quoteId'?: (string);
  'accountId'?: (string);
}

export interface GetQuoteRequest__Output {
  'quoteId': (string);
  'accountId': (string);
}
