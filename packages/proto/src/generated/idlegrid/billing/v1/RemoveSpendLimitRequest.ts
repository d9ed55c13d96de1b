// Original file: proto/idlegrid/billing/v1/billing.proto


export interface RemoveSpendLimitRequest {
  'customerId'?: (string);
  'currency'?: (string);
}

export interface RemoveSpendLimitRequest__Output {
  'customerId': (string);
  'currency': (string);
}
