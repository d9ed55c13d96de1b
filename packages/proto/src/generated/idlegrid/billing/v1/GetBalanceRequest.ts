// Original file: proto/idlegrid/billing/v1/billing.proto


export interface GetBalanceRequest {
  'ownerId'?: (string);
  'currency'?: (string);
}

export interface GetBalanceRequest__Output {
  'ownerId': (string);
  'currency': (string);
}
