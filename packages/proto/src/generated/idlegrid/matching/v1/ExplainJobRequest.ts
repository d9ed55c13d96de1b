// Original file: proto/idlegrid/matching/v1/matching.proto


export interface ExplainJobRequest {
  'jobId'?: (string);
}

export interface ExplainJobRequest__Output {
  'jobId': (string);
}
