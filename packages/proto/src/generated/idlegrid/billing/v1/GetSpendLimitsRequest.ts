// Original file: proto/idlegrid/billing/v1/billing.proto


export interface GetSpendLimitsRequest {
  'customerId'?: (string);
}

export interface GetSpendLimitsRequest__Output {
  'customerId': (string);
}
