// Original file: proto/idlegrid/matching/v1/matching.proto


export interface Candidate {
  'nodeId'?: (string);
  'gpuIndexes'?: (number)[];
  'total'?: (number | string);
  'scores'?: ({[key: string]: number | string});
}

export interface Candidate__Output {
  'nodeId': (string);
  'gpuIndexes': (number)[];
  'total': (number);
  'scores': ({[key: string]: number});
}
