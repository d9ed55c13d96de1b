// Original file: proto/idlegrid/matching/v1/matching.proto


export interface ForgetJobResponse {
}

export interface ForgetJobResponse__Output {
}
