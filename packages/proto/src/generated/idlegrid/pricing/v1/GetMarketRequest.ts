// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface GetMarketRequest {
}

export interface GetMarketRequest__Output {
}
