// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface ListFeesRequest {
}

export interface ListFeesRequest__Output {
}
