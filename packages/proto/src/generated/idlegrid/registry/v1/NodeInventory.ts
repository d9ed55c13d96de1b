// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Gpu as _idlegrid_registry_v1_Gpu, Gpu__Output as _idlegrid_registry_v1_Gpu__Output } from '../../../idlegrid/registry/v1/Gpu.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeInventory {
  'gpus'?: (_idlegrid_registry_v1_Gpu)[];
  'cpuCores'?: (number);
  'ramMib'?: (number | string | Long);
  'hostname'?: (string);
  'region'?: (string);
  /**
   * True when the GPUs were declared with --simulate-gpus.
   */
  'simulated'?: (boolean);
  /**
   * ISO 3166-1 alpha-2, e.g. "NL".
   */
  'country'?: (string);
  'diskGib'?: (number | string | Long);
  /**
   * Measured by the agent at start-up; 0 when not measured.
   */
  'bandwidthUpMbps'?: (number);
  'bandwidthDownMbps'?: (number);
}

export interface NodeInventory__Output {
  'gpus': (_idlegrid_registry_v1_Gpu__Output)[];
  'cpuCores': (number);
  'ramMib': (string);
  'hostname': (string);
  'region': (string);
  /**
   * True when the GPUs were declared with --simulate-gpus.
   */
  'simulated': (boolean);
  /**
   * ISO 3166-1 alpha-2, e.g. "NL".
   */
  'country': (string);
  'diskGib': (string);
  /**
   * Measured by the agent at start-up; 0 when not measured.
   */
  'bandwidthUpMbps': (number);
  'bandwidthDownMbps': (number);
}
