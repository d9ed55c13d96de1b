// Original file: proto/idlegrid/billing/v1/billing.proto


export interface VoidHoldRequest {
  'holdId'?: (string);
}

export interface VoidHoldRequest__Output {
  'holdId': (string);
}
