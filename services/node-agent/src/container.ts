import { execFile } from 'node:child_process'
import type { Logger } from 'pino'

/**
 * Jobs that name a container image run through docker or podman instead of
 * as a bare process: `docker run --rm --name idlegrid-<assignment> --gpus …
 * -e K=V … <image> <argv…>`. The runtime is probed once at start.
 */
export const CONTAINER_RUNTIME_CHOICES = ['auto', 'docker', 'podman', 'none'] as const
export type ContainerRuntimeChoice = (typeof CONTAINER_RUNTIME_CHOICES)[number]
export type ContainerTool = 'docker' | 'podman'

export const NO_CONTAINER_RUNTIME = 'this node cannot run container images (no working docker or podman)'
export const CONTAINERS_TURNED_OFF =
  'this node cannot run container images (its owner set --container-runtime none)'

/** True when `<tool> info` answers, i.e. the CLI is installed and its engine is reachable. */
export function probeContainerTool(tool: ContainerTool, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(tool, ['info'], { timeout: timeoutMs }, (error) => resolve(!error))
  })
}

/** The tool to use for images, or undefined when none works (or the owner turned containers off). */
export async function resolveContainerRuntime(
  choice: ContainerRuntimeChoice,
  logger: Logger,
  probe: (tool: ContainerTool) => Promise<boolean> = probeContainerTool,
): Promise<ContainerTool | undefined> {
  if (choice === 'none') {
    logger.info('container images disabled (--container-runtime none): jobs with an image will be refused')
    return undefined
  }
  if (choice !== 'auto') {
    if (!(await probe(choice)))
      logger.warn({ runtime: choice }, `"${choice} info" failed; container jobs will likely fail`)
    return choice
  }
  for (const tool of ['docker', 'podman'] as const) {
    if (await probe(tool)) {
      logger.info({ runtime: tool }, 'jobs with a container image will run with this runtime')
      return tool
    }
  }
  logger.info('no working docker or podman: jobs with a container image will be refused')
  return undefined
}

/** A reference such as "pytorch/pytorch:2.3.0-cuda12.1" or "ghcr.io/org/img@sha256:…"; never a flag. */
export function isValidImage(image: string): boolean {
  return image.length <= 512 && /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(image)
}

export const containerName = (assignmentId: string) =>
  `idlegrid-${assignmentId.replace(/[^A-Za-z0-9_.-]/g, '-')}`

export interface ContainerRun {
  tool: ContainerTool
  assignmentId: string
  jobId: string
  image: string
  command: string[]
  env: Record<string, string>
  gpuIndexes: number[]
  /** Simulated GPUs are not passed to the container (there are none); CUDA_VISIBLE_DEVICES names them. */
  simulatedGpus: boolean
  /** The run's directory, bound into the container (jobs with files). */
  mount?: { host: string; container: string }
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The full argv (argv[0] is the tool). Job variables with names no shell could set are dropped. */
export function containerRunArgs(run: ContainerRun): string[] {
  const args = [run.tool, 'run', '--rm', '--name', containerName(run.assignmentId)]
  // The run's files: its input directory is where the command starts.
  if (run.mount)
    args.push('-v', `${run.mount.host}:${run.mount.container}`, '-w', `${run.mount.container}/input`)
  if (!run.simulatedGpus && run.gpuIndexes.length > 0) {
    if (run.tool === 'docker') args.push('--gpus', `"device=${run.gpuIndexes.join(',')}"`)
    else for (const index of run.gpuIndexes) args.push('--device', `nvidia.com/gpu=${index}`)
  }
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(run.env)) if (ENV_KEY.test(key)) env[key] = value
  // Set last: a job must not rename itself or widen its GPUs.
  if (run.simulatedGpus) env.CUDA_VISIBLE_DEVICES = run.gpuIndexes.join(',')
  else delete env.CUDA_VISIBLE_DEVICES
  env.IDLEGRID_JOB_ID = run.jobId
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`)
  args.push(run.image, ...run.command)
  return args
}

/** What the runtime's CLI itself may see: never the job's variables (DOCKER_HOST would redirect it). */
export function containerCliEnvironment(parentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: parentEnv.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: parentEnv.HOME ?? '/',
  }
  for (const key of [
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'DOCKER_CONTEXT',
    'DOCKER_CERT_PATH',
    'DOCKER_TLS_VERIFY',
    'CONTAINER_HOST',
    'XDG_RUNTIME_DIR',
  ]) {
    const value = parentEnv[key]
    if (value) env[key] = value
  }
  return env
}

/** `<tool> stop -t <grace> <name>`: the engine SIGTERMs the container and SIGKILLs it after the grace. */
export function stopContainer(tool: ContainerTool, name: string, graceMs: number): Promise<void> {
  const graceS = String(Math.max(0, Math.ceil(graceMs / 1000)))
  return new Promise((resolve) => {
    execFile(tool, ['stop', '-t', graceS, name], { timeout: graceMs + 15_000 }, () => resolve())
  })
}

/** `<tool> kill <name>`, for a container left behind by an agent that crashed; true when one was running. */
export function killContainer(tool: ContainerTool, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(tool, ['kill', name], { timeout: 15_000 }, (error) => resolve(!error))
  })
}
