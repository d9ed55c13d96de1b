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
import type { RunRequest } from './run-assignment.js'

/**
 * Turns an assignment into what to start: the job's argv as a plain process,
 * or `docker|podman run … <image> <argv…>` when it names an image, or a
 * refusal the registry can show the customer when this node cannot run it.
 */
export type LaunchPlan =
  | { request: RunRequest; container?: { tool: ContainerTool; name: string } }
  | { refused: string }

export interface LaunchContext {
  runtime: ContainerTool | undefined
  runtimeChoice: ContainerRuntimeChoice
  simulatedGpus: boolean
  progressIntervalMs: number
  killGraceMs: number
}

export function planLaunch(assignment: Assignment__Output, context: LaunchContext): LaunchPlan {
  const { assignmentId, jobId, gpuIndexes, spec } = assignment
  const base = {
    jobId,
    env: spec?.env ?? {},
    gpuIndexes,
    maxDurationS: spec?.maxDurationS ?? 0,
    progressIntervalMs: context.progressIntervalMs,
    killGraceMs: context.killGraceMs,
  }
  const image = spec?.image ?? ''
  if (image === '') return { request: { ...base, command: spec?.command ?? [] } }
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
    env: base.env,
    gpuIndexes,
    simulatedGpus: context.simulatedGpus,
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
  }
}
