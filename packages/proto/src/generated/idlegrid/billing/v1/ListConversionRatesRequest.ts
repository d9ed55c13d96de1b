// Original file: proto/idlegrid/billing/v1/billing.proto


export interface ListConversionRatesRequest {
}

export interface ListConversionRatesRequest__Output {
}
