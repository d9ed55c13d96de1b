// Original file: proto/idlegrid/registry/v1/registry.proto


export interface GpuStats {
  'index'?: (number);
  'utilizationPct'?: (number);
  'memoryUsedMib'?: (number);
  'temperatureC'?: (number);
}

export interface GpuStats__Output {
  'index': (number);
  'utilizationPct': (number);
  'memoryUsedMib': (number);
  'temperatureC': (number);
}
