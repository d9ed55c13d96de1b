// Original file: proto/idlegrid/billing/v1/billing.proto


export interface GetInvoiceRequest {
  'holdId'?: (string);
}

export interface GetInvoiceRequest__Output {
  'holdId': (string);
}
