// Original file: proto/idlegrid/registry/v1/registry.proto

import type { GpuStats as _idlegrid_registry_v1_GpuStats, GpuStats__Output as _idlegrid_registry_v1_GpuStats__Output } from '../../../idlegrid/registry/v1/GpuStats.js';
import type { Long } from '@grpc/proto-loader';

export interface Progress {
  'assignmentId'?: (string);
  /**
   * Monotonic per assignment; the registry ignores anything not newer.
   */
  'sequence'?: (number | string | Long);
  'elapsedMs'?: (number | string | Long);
  /**
   * The last lines the process printed.
   */
  'logTail'?: (string);
  'epoch'?: (number | string | Long);
  /**
   * Utilisation of the assignment's GPUs.
   */
  'gpus'?: (_idlegrid_registry_v1_GpuStats)[];
}

export interface Progress__Output {
  'assignmentId': (string);
  /**
   * Monotonic per assignment; the registry ignores anything not newer.
   */
  'sequence': (string);
  'elapsedMs': (string);
  /**
   * The last lines the process printed.
   */
  'logTail': (string);
  'epoch': (string);
  /**
   * Utilisation of the assignment's GPUs.
   */
  'gpus': (_idlegrid_registry_v1_GpuStats__Output)[];
}
