// Original file: proto/idlegrid/billing/v1/billing.proto


export interface RemoveSpendLimitResponse {
}

export interface RemoveSpendLimitResponse__Output {
}
