import type { Assignment__Output } from '@idlegrid/proto/registry'
import { describe, expect, it } from 'vitest'
import {
  type ContainerRun,
  containerCliEnvironment,
  containerRunArgs,
  isValidImage,
  NO_CONTAINER_RUNTIME,
  resolveContainerRuntime,
} from '../src/container.js'
import { planLaunch } from '../src/job-launch.js'
import { captureLogger } from './support/capture-logger.js'

const run = (overrides: Partial<ContainerRun> = {}): ContainerRun => ({
  tool: 'docker',
  assignmentId: 'asg_01jd8x',
  jobId: 'job_7',
  image: 'pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime',
  command: ['python', 'train.py', '--epochs', '3'],
  env: { EPOCHS: '3' },
  gpuIndexes: [1, 3],
  simulatedGpus: false,
  ...overrides,
})

describe('docker/podman command lines', () => {
  it('docker: named, removed afterwards, only the assigned GPUs, the job variables, then image and argv', () => {
    expect(containerRunArgs(run())).toEqual([
      'docker',
      'run',
      '--rm',
      '--name',
      'idlegrid-asg_01jd8x',
      '--gpus',
      '"device=1,3"',
      '-e',
      'EPOCHS=3',
      '-e',
      'IDLEGRID_JOB_ID=job_7',
      'pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime',
      'python',
      'train.py',
      '--epochs',
      '3',
    ])
  })

  it('podman: one CDI device per GPU', () => {
    const args = containerRunArgs(run({ tool: 'podman', command: [] }))
    expect(args.slice(0, 9)).toEqual([
      'podman',
      'run',
      '--rm',
      '--name',
      'idlegrid-asg_01jd8x',
      '--device',
      'nvidia.com/gpu=1',
      '--device',
      'nvidia.com/gpu=3',
    ])
    expect(args.at(-1)).toBe('pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime')
  })

  it('simulated GPUs: no --gpus, CUDA_VISIBLE_DEVICES names them as for a plain process', () => {
    const args = containerRunArgs(run({ simulatedGpus: true, env: { CUDA_VISIBLE_DEVICES: '0,1,2,3' } }))
    expect(args).not.toContain('--gpus')
    expect(args).toContain('CUDA_VISIBLE_DEVICES=1,3')
    expect(args).not.toContain('CUDA_VISIBLE_DEVICES=0,1,2,3')
  })

  it('a job cannot rename itself, widen its GPUs or smuggle options through its variables', () => {
    const args = containerRunArgs(
      run({
        env: {
          IDLEGRID_JOB_ID: 'job_other',
          CUDA_VISIBLE_DEVICES: '0,1,2,3',
          'X=1 --privileged': 'y',
          '--volume': '/:/host',
          TOKEN: 'a b=c',
        },
      }),
    )
    expect(args).toContain('IDLEGRID_JOB_ID=job_7')
    expect(args).not.toContain('IDLEGRID_JOB_ID=job_other')
    expect(args.some((arg) => arg.startsWith('CUDA_VISIBLE_DEVICES'))).toBe(false)
    expect(args.some((arg) => arg.includes('privileged') || arg.includes('/:/host'))).toBe(false)
    expect(args).toContain('TOKEN=a b=c')
  })

  it('keeps assignment ids usable as container names', () => {
    expect(containerRunArgs(run({ assignmentId: 'asg/../x y' }))[4]).toBe('idlegrid-asg-..-x-y')
  })

  it.each([
    ['pytorch/pytorch:2.3.0-cuda12.1', true],
    ['ghcr.io/acme/render@sha256:0123456789abcdef', true],
    ['localhost:5000/trainer', true],
    ['--privileged', false],
    ['-v', false],
    ['ubuntu bash', false],
    ['', false],
  ])('image %j is valid: %s', (image, valid) => {
    expect(isValidImage(image)).toBe(valid)
  })

  it('never gives the runtime CLI the job variables, only its own connection settings', () => {
    expect(
      containerCliEnvironment({
        PATH: '/bin',
        HOME: '/home/gpu',
        DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
        AWS_SECRET: 'x',
      }),
    ).toEqual({ PATH: '/bin', HOME: '/home/gpu', DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })
  })
})

describe('choosing the container runtime', () => {
  const probe = (working: string[]) => async (tool: string) => working.includes(tool)

  it('auto takes docker if it answers, else podman, else none', async () => {
    const { logger } = captureLogger()
    expect(await resolveContainerRuntime('auto', logger, probe(['docker', 'podman']))).toBe('docker')
    expect(await resolveContainerRuntime('auto', logger, probe(['podman']))).toBe('podman')
    expect(await resolveContainerRuntime('auto', logger, probe([]))).toBeUndefined()
  })

  it('an explicit choice is kept (with a warning when it does not answer); none turns images off', async () => {
    const { logger, lines } = captureLogger()
    expect(await resolveContainerRuntime('podman', logger, probe([]))).toBe('podman')
    expect(lines().at(-1)?.msg).toContain('"podman info" failed')
    expect(await resolveContainerRuntime('none', logger, probe(['docker']))).toBeUndefined()
  })
})

describe('planning a launch', () => {
  const assignment = (
    image: string,
    files: {
      inputs?: { uri: string; path: string; sha256: string }[]
      outputUri?: string
      checkpointUri?: string
    } = {},
    rank = 0,
  ): Assignment__Output => ({
    assignmentId: 'asg_1',
    jobId: 'job_1',
    gpuIndexes: [0],
    pricePerGpuHourMicros: '1',
    epoch: '1',
    spec: {
      kind: 'inference',
      command: ['serve'],
      env: { A: '1' },
      gpus: null,
      maxPricePerGpuHourMicros: '0',
      maxDurationS: 60,
      regions: [],
      excludedRegions: [],
      countries: [],
      excludedCountries: [],
      excludedProviders: [],
      excludedNodes: [],
      minComputeCapability: '',
      minCudaVersion: '',
      minDriverVersion: '',
      minReputation: 0,
      interruptible: false,
      nodes: 1,
      sameProvider: false,
      priority: 'normal',
      currency: 'USD',
      image,
      inputs: files.inputs ?? [],
      outputUri: files.outputUri ?? '',
      checkpointUri: files.checkpointUri ?? '',
      checkpointIntervalS: 0,
      maxRetries: 0,
    },
    gangId: 'asg_1',
    rank,
    worldSize: rank + 1,
  })
  const context = {
    runtimeChoice: 'auto' as const,
    simulatedGpus: false,
    progressIntervalMs: 1000,
    killGraceMs: 1000,
    workRoot: '/var/idlegrid/work/node_1',
  }
  const withFiles = {
    inputs: [{ uri: 'https://data.example/train.csv', path: 'data/train.csv', sha256: '' }],
    outputUri: 'https://bucket.example/out.tar.gz?sig=x',
  }

  it('runs a job without an image as a plain process', () => {
    const plan = planLaunch(assignment(''), { ...context, runtime: 'docker' })
    expect(plan).toMatchObject({ request: { command: ['serve'], env: { A: '1' }, maxDurationS: 60 } })
    expect('container' in plan).toBe(false)
  })

  it('runs a job with an image through the runtime, with the CLI kept away from the job variables', () => {
    const plan = planLaunch(assignment('vllm/vllm-openai:v0.5'), { ...context, runtime: 'docker' })
    if ('refused' in plan) throw new Error(plan.refused)
    expect(plan.container).toEqual({ tool: 'docker', name: 'idlegrid-asg_1' })
    expect(plan.request.command.slice(0, 2)).toEqual(['docker', 'run'])
    expect(plan.request.command.slice(-2)).toEqual(['vllm/vllm-openai:v0.5', 'serve'])
    expect(plan.request.environment).not.toHaveProperty('A')
    expect(plan.request.onStop).toBeTypeOf('function')
  })

  it('gives a job with files its own directory: it starts in input/, and finds both directories named', () => {
    const plan = planLaunch(assignment('', withFiles), { ...context, runtime: 'docker' })
    if ('refused' in plan) throw new Error(plan.refused)
    expect(plan.files).toEqual({
      root: '/var/idlegrid/work/node_1/asg_1',
      inputs: [{ uri: 'https://data.example/train.csv', path: 'data/train.csv', sha256: undefined }],
      outputUri: 'https://bucket.example/out.tar.gz?sig=x',
    })
    expect(plan.request.cwd).toBe('/var/idlegrid/work/node_1/asg_1/input')
    expect(plan.request.env).toEqual({
      A: '1',
      IDLEGRID_INPUT_DIR: '/var/idlegrid/work/node_1/asg_1/input',
      IDLEGRID_OUTPUT_DIR: '/var/idlegrid/work/node_1/asg_1/output',
    })
    const plain = planLaunch(assignment(''), { ...context, runtime: 'docker' })
    expect(plain).not.toHaveProperty('files')
    expect('refused' in plain ? undefined : plain.request.cwd).toBeUndefined()
  })

  it("binds a containerised job's directory into the container and names the paths inside it", () => {
    const plan = planLaunch(assignment('pytorch/pytorch:2.4', withFiles), { ...context, runtime: 'podman' })
    if ('refused' in plan) throw new Error(plan.refused)
    const args = plan.request.command
    expect(args.slice(args.indexOf('-v'), args.indexOf('-v') + 4)).toEqual([
      '-v',
      '/var/idlegrid/work/node_1/asg_1:/idlegrid',
      '-w',
      '/idlegrid/input',
    ])
    expect(args).toContain('IDLEGRID_INPUT_DIR=/idlegrid/input')
    expect(args).toContain('IDLEGRID_OUTPUT_DIR=/idlegrid/output')
    expect(plan.files?.root).toBe('/var/idlegrid/work/node_1/asg_1')
  })

  it('keeps a checkpoint directory for a job that names a checkpoint URI: per rank with {rank}, else saved by rank 0', () => {
    const plan = planLaunch(assignment('', { checkpointUri: 'https://ckpt.example/run-{rank}.tgz' }, 2), {
      ...context,
      runtime: undefined,
    })
    if ('refused' in plan) throw new Error(plan.refused)
    expect(plan.files?.checkpoint).toEqual({
      uri: 'https://ckpt.example/run-2.tgz',
      intervalS: 300,
      saves: true,
    })
    expect(plan.request.env).toMatchObject({
      IDLEGRID_CHECKPOINT_DIR: '/var/idlegrid/work/node_1/asg_1/checkpoint',
    })
    const shared = (rank: number) =>
      planLaunch(assignment('', { checkpointUri: 'https://ckpt.example/run.tgz' }, rank), {
        ...context,
        runtime: undefined,
      })
    expect(shared(0)).toMatchObject({
      files: { checkpoint: { uri: 'https://ckpt.example/run.tgz', saves: true } },
    })
    expect(shared(1)).toMatchObject({
      files: { checkpoint: { uri: 'https://ckpt.example/run.tgz', saves: false } },
    })
    const inContainer = planLaunch(
      assignment('pytorch/pytorch:2.4', { checkpointUri: 'https://c.example/x' }),
      {
        ...context,
        runtime: 'docker',
      },
    )
    if ('refused' in inContainer) throw new Error(inContainer.refused)
    expect(inContainer.request.command).toContain('IDLEGRID_CHECKPOINT_DIR=/idlegrid/checkpoint')
  })

  it('refuses an image when no runtime works, or when the image is not a reference', () => {
    expect(planLaunch(assignment('vllm/vllm-openai'), { ...context, runtime: undefined })).toEqual({
      refused: NO_CONTAINER_RUNTIME,
    })
    expect(planLaunch(assignment('vllm'), { ...context, runtimeChoice: 'none', runtime: undefined })).toEqual(
      {
        refused: expect.stringContaining('--container-runtime none'),
      },
    )
    expect(planLaunch(assignment('--privileged'), { ...context, runtime: 'docker' })).toEqual({
      refused: '"--privileged" is not a container image reference',
    })
  })
})
