import { join } from 'node:path'
import type { Assignment__Output } from '@idlegrid/proto/registry'
import {
  CONTAINERS_TURNED_OFF,
  type ContainerRuntimeChoice,
  type ContainerTool,
  containerCliEnvironment,
  containerName,
  containerRunArgs,
  isValidImage,
  NO_CONTAINER_RUNTIME,
  stopContainer,
} from './container.js'
import {
  checkpointDir,
  DEFAULT_CHECKPOINT_INTERVAL_S,
  inputDir,
  type JobCheckpoint,
  type JobFiles,
  outputDir,
} from './job-files.js'
import type { RunRequest } from './run-assignment.js'

/**
 * Turns an assignment into what to start: the job's argv as a plain process,
 * or `docker|podman run … <image> <argv…>` when it names an image, or a
 * refusal the registry can show the customer when this node cannot run it.
 */
export type LaunchPlan =
  | { request: RunRequest; container?: { tool: ContainerTool; name: string }; files?: JobFiles }
  | { refused: string }

export interface LaunchContext {
  runtime: ContainerTool | undefined
  runtimeChoice: ContainerRuntimeChoice
  simulatedGpus: boolean
  progressIntervalMs: number
  killGraceMs: number
  /** Where runs with files get their own directory (<workRoot>/<assignment id>). */
  workRoot: string
}

/** Where the job's files are inside its container. */
const CONTAINER_WORK_DIR = '/idlegrid'

export function planLaunch(assignment: Assignment__Output, context: LaunchContext): LaunchPlan {
  const { assignmentId, jobId, gpuIndexes, spec } = assignment
  const inputs = (spec?.inputs ?? []).map((i) => ({
    uri: i.uri,
    path: i.path,
    sha256: i.sha256 || undefined,
  }))
  const outputUri = spec?.outputUri ?? ''
  const checkpoint = checkpointOf(assignment)
  // A run with files works in its own directory: inputs fetched there first, outputs uploaded after.
  const files: JobFiles | undefined =
    inputs.length > 0 || outputUri !== '' || checkpoint
      ? {
          root: join(context.workRoot, assignmentId),
          inputs,
          outputUri,
          ...(checkpoint ? { checkpoint } : {}),
        }
      : undefined
  const filesIn = (dir: string): Record<string, string> => ({
    ...(files ? { IDLEGRID_INPUT_DIR: inputDir(dir), IDLEGRID_OUTPUT_DIR: outputDir(dir) } : {}),
    ...(checkpoint ? { IDLEGRID_CHECKPOINT_DIR: checkpointDir(dir) } : {}),
  })
  const base = {
    jobId,
    // Set last: the job's own variables do not move its directories.
    env: { ...(spec?.env ?? {}), ...filesIn(files?.root ?? '') },
    gpuIndexes,
    maxDurationS: spec?.maxDurationS ?? 0,
    progressIntervalMs: context.progressIntervalMs,
    killGraceMs: context.killGraceMs,
  }
  const image = spec?.image ?? ''
  if (image === '')
    return {
      request: { ...base, command: spec?.command ?? [], ...(files ? { cwd: inputDir(files.root) } : {}) },
      ...(files ? { files } : {}),
    }
  if (!isValidImage(image)) return { refused: `"${image.slice(0, 100)}" is not a container image reference` }
  const tool = context.runtime
  if (!tool)
    return { refused: context.runtimeChoice === 'none' ? CONTAINERS_TURNED_OFF : NO_CONTAINER_RUNTIME }
  const name = containerName(assignmentId)
  const command = containerRunArgs({
    tool,
    assignmentId,
    jobId,
    image,
    command: spec?.command ?? [],
    env: { ...base.env, ...filesIn(CONTAINER_WORK_DIR) },
    gpuIndexes,
    simulatedGpus: context.simulatedGpus,
    ...(files ? { mount: { host: files.root, container: CONTAINER_WORK_DIR } } : {}),
  })
  return {
    request: {
      ...base,
      command,
      environment: containerCliEnvironment(),
      // The engine stops the container itself; the CLI exits when it is gone.
      onStop: (graceMs) => void stopContainer(tool, name, graceMs),
    },
    container: { tool, name },
    ...(files ? { files } : {}),
  }
}

/**
 * The run's checkpoint, if its job keeps one: `{rank}` in the URI keeps one
 * per gang rank; without it rank 0 saves the one every rank restores.
 */
function checkpointOf({ spec, rank }: Assignment__Output): JobCheckpoint | undefined {
  const uri = spec?.checkpointUri ?? ''
  if (uri === '') return undefined
  return {
    uri: uri.replaceAll('{rank}', String(rank)),
    intervalS: spec?.checkpointIntervalS || DEFAULT_CHECKPOINT_INTERVAL_S,
    saves: uri.includes('{rank}') || rank === 0,
  }
}
