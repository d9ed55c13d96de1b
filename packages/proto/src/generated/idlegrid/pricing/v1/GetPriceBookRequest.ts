// Original file: proto/idlegrid/pricing/v1/pricing.proto


export interface GetPriceBookRequest {
}

export interface GetPriceBookRequest__Output {
}
