// Original file: proto/idlegrid/registry/v1/registry.proto


export interface GetAvailabilityRequest {
  /**
   * The epoch's first instant, ISO 8601 UTC (e.g. 2026-11-26T09:00:00Z); epochs are
   * AVAILABILITY_EPOCH_MS long, counted from the Unix epoch.
   */
  'epochStart'?: (string);
}

export interface GetAvailabilityRequest__Output {
  /**
   * The epoch's first instant, ISO 8601 UTC (e.g. 2026-11-26T09:00:00Z); epochs are
   * AVAILABILITY_EPOCH_MS long, counted from the Unix epoch.
   */
  'epochStart': (string);
}
