// Original file: proto/idlegrid/registry/v1/registry.proto

import type { ProviderAvailability as _idlegrid_registry_v1_ProviderAvailability, ProviderAvailability__Output as _idlegrid_registry_v1_ProviderAvailability__Output } from '../../../idlegrid/registry/v1/ProviderAvailability.js';

/**
 * Every AVAILABILITY_SAMPLE_MS the registry credits each node that is connected
 * (heard from within the suspect window), active and not revoked with the
 * sample's length × its GPUs, and × its GPUs that are neither running work nor
 * held for a job as idle. A sample is taken once whatever the number of replicas.
 */
export interface Availability {
  'epochStart'?: (string);
  'epochEnd'?: (string);
  /**
   * False while the epoch is still running (its figures still grow).
   */
  'ended'?: (boolean);
  /**
   * Busy GPU-seconds ÷ available GPU-seconds over the epoch, in basis points (0 when nothing was available).
   */
  'utilisationBps'?: (number);
  'providers'?: (_idlegrid_registry_v1_ProviderAvailability)[];
}

/**
 * Every AVAILABILITY_SAMPLE_MS the registry credits each node that is connected
 * (heard from within the suspect window), active and not revoked with the
 * sample's length × its GPUs, and × its GPUs that are neither running work nor
 * held for a job as idle. A sample is taken once whatever the number of replicas.
 */
export interface Availability__Output {
  'epochStart': (string);
  'epochEnd': (string);
  /**
   * False while the epoch is still running (its figures still grow).
   */
  'ended': (boolean);
  /**
   * Busy GPU-seconds ÷ available GPU-seconds over the epoch, in basis points (0 when nothing was available).
   */
  'utilisationBps': (number);
  'providers': (_idlegrid_registry_v1_ProviderAvailability__Output)[];
}
