// Original file: proto/idlegrid/billing/v1/billing.proto


export interface GetIncentivePoolRequest {
}

export interface GetIncentivePoolRequest__Output {
}
