// Original file: proto/idlegrid/billing/v1/billing.proto

import type { Long } from '@grpc/proto-loader';

export interface InvoiceLine {
  'assignmentId'?: (string);
  'providerId'?: (string);
  'gpuSeconds'?: (number | string | Long);
  'pricePerGpuHourUsdMicros'?: (number | string | Long);
  /**
   * The work at its price, in the hold's currency at the hold's rate.
   */
  'costMicros'?: (number | string | Long);
  /**
   * The cost, or less when the hold ran out.
   */
  'chargedMicros'?: (number | string | Long);
  'feeMicros'?: (number | string | Long);
  'providerMicros'?: (number | string | Long);
}

export interface InvoiceLine__Output {
  'assignmentId': (string);
  'providerId': (string);
  'gpuSeconds': (string);
  'pricePerGpuHourUsdMicros': (string);
  /**
   * The work at its price, in the hold's currency at the hold's rate.
   */
  'costMicros': (string);
  /**
   * The cost, or less when the hold ran out.
   */
  'chargedMicros': (string);
  'feeMicros': (string);
  'providerMicros': (string);
}
