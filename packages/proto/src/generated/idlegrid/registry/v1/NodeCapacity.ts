// Original file: proto/idlegrid/registry/v1/registry.proto

import type { Gpu as _idlegrid_registry_v1_Gpu, Gpu__Output as _idlegrid_registry_v1_Gpu__Output } from '../../../idlegrid/registry/v1/Gpu.js';
import type { InterruptibleRun as _idlegrid_registry_v1_InterruptibleRun, InterruptibleRun__Output as _idlegrid_registry_v1_InterruptibleRun__Output } from '../../../idlegrid/registry/v1/InterruptibleRun.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeCapacity {
  'nodeId'?: (string);
  'providerId'?: (string);
  'region'?: (string);
  /**
   * "online" | "busy" | "draining" | "suspect" | "offline" | "quarantined".
   */
  'state'?: (string);
  'pricePerGpuHourMicros'?: (number | string | Long);
  /**
   * All GPUs of the node; free_gpu_indexes names the unallocated ones.
   */
  'gpus'?: (_idlegrid_registry_v1_Gpu)[];
  'freeGpuIndexes'?: (number)[];
  'country'?: (string);
  /**
   * 0..1, from the node's history: (completed runs + 1) / (completed + lost + 2).
   */
  'reputation'?: (number | string);
  'acceptsInterruptible'?: (boolean);
  /**
   * Container images the node ran lately, newest first (warm caches).
   */
  'recentImages'?: (string)[];
  /**
   * Interruptible runs on the node (not yet being preempted).
   */
  'interruptible'?: (_idlegrid_registry_v1_InterruptibleRun)[];
  /**
   * Lent only in its provider's hours and in one now: when it closes (Unix
   * ms); a job is placed here only if it would end by then. 0: no end.
   */
  'openUntilMs'?: (number | string | Long);
}

export interface NodeCapacity__Output {
  'nodeId': (string);
  'providerId': (string);
  'region': (string);
  /**
   * "online" | "busy" | "draining" | "suspect" | "offline" | "quarantined".
   */
  'state': (string);
  'pricePerGpuHourMicros': (string);
  /**
   * All GPUs of the node; free_gpu_indexes names the unallocated ones.
   */
  'gpus': (_idlegrid_registry_v1_Gpu__Output)[];
  'freeGpuIndexes': (number)[];
  'country': (string);
  /**
   * 0..1, from the node's history: (completed runs + 1) / (completed + lost + 2).
   */
  'reputation': (number);
  'acceptsInterruptible': (boolean);
  /**
   * Container images the node ran lately, newest first (warm caches).
   */
  'recentImages': (string)[];
  /**
   * Interruptible runs on the node (not yet being preempted).
   */
  'interruptible': (_idlegrid_registry_v1_InterruptibleRun__Output)[];
  /**
   * Lent only in its provider's hours and in one now: when it closes (Unix
   * ms); a job is placed here only if it would end by then. 0: no end.
   */
  'openUntilMs': (string);
}
