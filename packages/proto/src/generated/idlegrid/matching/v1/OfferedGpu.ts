// Original file: proto/idlegrid/matching/v1/matching.proto


export interface OfferedGpu {
  'index'?: (number);
  'model'?: (string);
  'vramMib'?: (number);
  'computeCapability'?: (string);
  'cudaVersion'?: (string);
  'driverVersion'?: (string);
}

export interface OfferedGpu__Output {
  'index': (number);
  'model': (string);
  'vramMib': (number);
  'computeCapability': (string);
  'cudaVersion': (string);
  'driverVersion': (string);
}
