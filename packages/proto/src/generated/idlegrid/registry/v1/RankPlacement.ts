// Original file: proto/idlegrid/registry/v1/registry.proto


export interface RankPlacement {
  'nodeId'?: (string);
  'gpuIndexes'?: (number)[];
}

export interface RankPlacement__Output {
  'nodeId': (string);
  'gpuIndexes': (number)[];
}
