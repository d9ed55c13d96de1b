// Original file: proto/idlegrid/common/v1/job.proto

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from '../../../idlegrid/common/v1/GpuRequirement.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The part of a customer's job that matching, the registry and the agent need.
 */
export interface JobSpec {
  /**
   * "training" | "inference" | "render".
   */
  'kind'?: (string);
  /**
   * argv of the process the agent runs (no shell unless argv[0] is one).
   */
  'command'?: (string)[];
  'env'?: ({[key: string]: string});
  'gpus'?: (_idlegrid_common_v1_GpuRequirement | null);
  /**
   * The most the customer pays per GPU-hour, in micros of USD.
   */
  'maxPricePerGpuHourMicros'?: (number | string | Long);
  /**
   * Hard limit on wall time; the agent kills the process after it.
   */
  'maxDurationS'?: (number);
  /**
   * Empty means any region.
   */
  'region'?: (string);
  /**
   * "USD" | "USDC" | "GRID": the currency the customer pays in.
   */
  'currency'?: (string);
  /**
   * Container image to run `command` in; empty runs it as a plain process.
   */
  'image'?: (string);
}

/**
 * The part of a customer's job that matching, the registry and the agent need.
 */
export interface JobSpec__Output {
  /**
   * "training" | "inference" | "render".
   */
  'kind': (string);
  /**
   * argv of the process the agent runs (no shell unless argv[0] is one).
   */
  'command': (string)[];
  'env': ({[key: string]: string});
  'gpus': (_idlegrid_common_v1_GpuRequirement__Output | null);
  /**
   * The most the customer pays per GPU-hour, in micros of USD.
   */
  'maxPricePerGpuHourMicros': (string);
  /**
   * Hard limit on wall time; the agent kills the process after it.
   */
  'maxDurationS': (number);
  /**
   * Empty means any region.
   */
  'region': (string);
  /**
   * "USD" | "USDC" | "GRID": the currency the customer pays in.
   */
  'currency': (string);
  /**
   * Container image to run `command` in; empty runs it as a plain process.
   */
  'image': (string);
}
