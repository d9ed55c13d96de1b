// Original file: proto/idlegrid/matching/v1/matching.proto


export interface ForgetJobRequest {
  'jobId'?: (string);
}

export interface ForgetJobRequest__Output {
  'jobId': (string);
}
