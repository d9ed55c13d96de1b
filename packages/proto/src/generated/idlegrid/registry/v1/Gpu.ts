// Original file: proto/idlegrid/registry/v1/registry.proto


export interface Gpu {
  /**
   * Position on the host (CUDA_VISIBLE_DEVICES index).
   */
  'index'?: (number);
  'model'?: (string);
  'vramMib'?: (number);
  'uuid'?: (string);
  /**
   * e.g. "8.9"; empty when unknown.
   */
  'computeCapability'?: (string);
  /**
   * e.g. "550.54.15".
   */
  'driverVersion'?: (string);
  /**
   * Highest CUDA version the driver supports, e.g. "12.4".
   */
  'cudaVersion'?: (string);
  /**
   * "pcie" | "nvlink" | "sxm".
   */
  'interconnect'?: (string);
}

export interface Gpu__Output {
  /**
   * Position on the host (CUDA_VISIBLE_DEVICES index).
   */
  'index': (number);
  'model': (string);
  'vramMib': (number);
  'uuid': (string);
  /**
   * e.g. "8.9"; empty when unknown.
   */
  'computeCapability': (string);
  /**
   * e.g. "550.54.15".
   */
  'driverVersion': (string);
  /**
   * Highest CUDA version the driver supports, e.g. "12.4".
   */
  'cudaVersion': (string);
  /**
   * "pcie" | "nvlink" | "sxm".
   */
  'interconnect': (string);
}
