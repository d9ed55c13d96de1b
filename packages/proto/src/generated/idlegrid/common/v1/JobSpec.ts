// Original file: proto/idlegrid/common/v1/job.proto

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from '../../../idlegrid/common/v1/GpuRequirement.js';
import type { JobInput as _idlegrid_common_v1_JobInput, JobInput__Output as _idlegrid_common_v1_JobInput__Output } from '../../../idlegrid/common/v1/JobInput.js';
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
   * "USD" | "USDC" | "GRID": the currency the customer pays in.
   */
  'currency'?: (string);
  /**
   * Container image to run `command` in; empty runs it as a plain process.
   */
  'image'?: (string);
  /**
   * Placement constraints; empty lists and zero values mean "any".
   */
  'regions'?: (string)[];
  'excludedRegions'?: (string)[];
  /**
   * ISO 3166-1 alpha-2 codes.
   */
  'countries'?: (string)[];
  'excludedCountries'?: (string)[];
  'excludedProviders'?: (string)[];
  /**
   * Minimum compute capability as "major.minor", e.g. "8.0".
   */
  'minComputeCapability'?: (string);
  /**
   * Minimum CUDA version the driver must support, e.g. "12.2".
   */
  'minCudaVersion'?: (string);
  'minDriverVersion'?: (string);
  /**
   * 0..1; nodes below it are not considered.
   */
  'minReputation'?: (number | string);
  /**
   * The job accepts being stopped (with notice) for higher-priority work.
   */
  'interruptible'?: (boolean);
  /**
   * Gang placement: the job runs on `nodes` distinct nodes at once, `gpus.count`
   * GPUs on each, all in one region, all or nothing. 0 or 1: one node.
   */
  'nodes'?: (number);
  /**
   * Gang placement: all nodes of one provider.
   */
  'sameProvider'?: (boolean);
  /**
   * "low" | "normal" | "high" (empty: "normal"). Waiting jobs are retried in
   * priority order, and a non-interruptible job may preempt interruptible
   * work of a lower priority.
   */
  'priority'?: (string);
  /**
   * Never on these nodes (e.g. a render chunk retried after failing there).
   */
  'excludedNodes'?: (string)[];
  /**
   * Fetched into IDLEGRID_INPUT_DIR before the process starts; one that
   * cannot be fetched (or has another SHA-256) fails the run.
   */
  'inputs'?: (_idlegrid_common_v1_JobInput)[];
  /**
   * After the process exits, IDLEGRID_OUTPUT_DIR as a .tar.gz is PUT here
   * (http:// or https://); empty: outputs are not kept.
   */
  'outputUri'?: (string);
  /**
   * Where IDLEGRID_CHECKPOINT_DIR is kept between runs of the job (http:// or
   * https://, answering GET and PUT; "{rank}" is filled per gang rank, else
   * rank 0 saves and every rank restores): fetched before the process
   * starts (404: a first run), PUT as a .tar.gz every checkpoint_interval_s
   * when it changed, and once more when the node stops the run (its agent
   * shut down, or the job preempted). Empty: no checkpoints.
   */
  'checkpointUri'?: (string);
  /**
   * Seconds between saves (0: 300).
   */
  'checkpointIntervalS'?: (number);
  /**
   * Placements after the first when a run fails (a rank exits non-zero, not
   * by the time limit): the registry requeues the job instead of finishing
   * it, paying the failed run's GPU-seconds. 0: a failure is final.
   */
  'maxRetries'?: (number);
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
   * "USD" | "USDC" | "GRID": the currency the customer pays in.
   */
  'currency': (string);
  /**
   * Container image to run `command` in; empty runs it as a plain process.
   */
  'image': (string);
  /**
   * Placement constraints; empty lists and zero values mean "any".
   */
  'regions': (string)[];
  'excludedRegions': (string)[];
  /**
   * ISO 3166-1 alpha-2 codes.
   */
  'countries': (string)[];
  'excludedCountries': (string)[];
  'excludedProviders': (string)[];
  /**
   * Minimum compute capability as "major.minor", e.g. "8.0".
   */
  'minComputeCapability': (string);
  /**
   * Minimum CUDA version the driver must support, e.g. "12.2".
   */
  'minCudaVersion': (string);
  'minDriverVersion': (string);
  /**
   * 0..1; nodes below it are not considered.
   */
  'minReputation': (number);
  /**
   * The job accepts being stopped (with notice) for higher-priority work.
   */
  'interruptible': (boolean);
  /**
   * Gang placement: the job runs on `nodes` distinct nodes at once, `gpus.count`
   * GPUs on each, all in one region, all or nothing. 0 or 1: one node.
   */
  'nodes': (number);
  /**
   * Gang placement: all nodes of one provider.
   */
  'sameProvider': (boolean);
  /**
   * "low" | "normal" | "high" (empty: "normal"). Waiting jobs are retried in
   * priority order, and a non-interruptible job may preempt interruptible
   * work of a lower priority.
   */
  'priority': (string);
  /**
   * Never on these nodes (e.g. a render chunk retried after failing there).
   */
  'excludedNodes': (string)[];
  /**
   * Fetched into IDLEGRID_INPUT_DIR before the process starts; one that
   * cannot be fetched (or has another SHA-256) fails the run.
   */
  'inputs': (_idlegrid_common_v1_JobInput__Output)[];
  /**
   * After the process exits, IDLEGRID_OUTPUT_DIR as a .tar.gz is PUT here
   * (http:// or https://); empty: outputs are not kept.
   */
  'outputUri': (string);
  /**
   * Where IDLEGRID_CHECKPOINT_DIR is kept between runs of the job (http:// or
   * https://, answering GET and PUT; "{rank}" is filled per gang rank, else
   * rank 0 saves and every rank restores): fetched before the process
   * starts (404: a first run), PUT as a .tar.gz every checkpoint_interval_s
   * when it changed, and once more when the node stops the run (its agent
   * shut down, or the job preempted). Empty: no checkpoints.
   */
  'checkpointUri': (string);
  /**
   * Seconds between saves (0: 300).
   */
  'checkpointIntervalS': (number);
  /**
   * Placements after the first when a run fails (a rank exits non-zero, not
   * by the time limit): the registry requeues the job instead of finishing
   * it, paying the failed run's GPU-seconds. 0: a failure is final.
   */
  'maxRetries': (number);
}
