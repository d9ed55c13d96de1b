// Original file: proto/idlegrid/registry/v1/registry.proto

import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from '../../../idlegrid/common/v1/JobSpec.js';
import type { Long } from '@grpc/proto-loader';

export interface Assignment {
  /**
   * One rank of a job's placement (a single-node job has one rank). The
   * job's process also sees IDLEGRID_RANK, IDLEGRID_WORLD_SIZE and
   * IDLEGRID_GANG_ID in its environment.
   */
  'assignmentId'?: (string);
  'jobId'?: (string);
  /**
   * Host GPU indexes the process may use (sets CUDA_VISIBLE_DEVICES).
   */
  'gpuIndexes'?: (number)[];
  'spec'?: (_idlegrid_common_v1_JobSpec | null);
  /**
   * Agreed price per GPU-hour (micros of USD), fixed at reservation.
   */
  'pricePerGpuHourMicros'?: (number | string | Long);
  /**
   * Changes when the work is taken from a lost node; reports must echo it,
   * and reports of an older epoch are refused (FAILED_PRECONDITION).
   */
  'epoch'?: (number | string | Long);
  /**
   * The placement this rank belongs to (= assignment_id for one node).
   */
  'gangId'?: (string);
  'rank'?: (number);
  'worldSize'?: (number);
}

export interface Assignment__Output {
  /**
   * One rank of a job's placement (a single-node job has one rank). The
   * job's process also sees IDLEGRID_RANK, IDLEGRID_WORLD_SIZE and
   * IDLEGRID_GANG_ID in its environment.
   */
  'assignmentId': (string);
  'jobId': (string);
  /**
   * Host GPU indexes the process may use (sets CUDA_VISIBLE_DEVICES).
   */
  'gpuIndexes': (number)[];
  'spec': (_idlegrid_common_v1_JobSpec__Output | null);
  /**
   * Agreed price per GPU-hour (micros of USD), fixed at reservation.
   */
  'pricePerGpuHourMicros': (string);
  /**
   * Changes when the work is taken from a lost node; reports must echo it,
   * and reports of an older epoch are refused (FAILED_PRECONDITION).
   */
  'epoch': (string);
  /**
   * The placement this rank belongs to (= assignment_id for one node).
   */
  'gangId': (string);
  'rank': (number);
  'worldSize': (number);
}
