import { describe, expect, it } from 'vitest'
import {
  gpuSecondsFor,
  jobEnvironment,
  MAX_DURATION_EXCEEDED,
  type RunProgress,
  type RunRequest,
  runAssignment,
} from '../src/run-assignment.js'
import { isAlive, waitUntil } from './support/process-state.js'

const node = (script: string) => [process.execPath, '-e', script]
const request = (overrides: Partial<RunRequest>): RunRequest => ({
  jobId: 'job_test',
  command: node(''),
  env: {},
  gpuIndexes: [0],
  maxDurationS: 30,
  killGraceMs: 300,
  ...overrides,
})

describe('gpuSecondsFor', () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [999, 1, 1],
    [1000, 1, 1],
    [1001, 1, 2],
    [1001, 2, 4],
    [59_500, 8, 480],
    [5000, 0, 0],
  ])('%i ms on %i GPUs → %i GPU-seconds', (wallMs, gpus, expected) => {
    expect(gpuSecondsFor(wallMs, gpus)).toBe(expected)
  })
})

describe('runAssignment', () => {
  it('reports exit code 0, the output and the GPU-seconds of a successful job', async () => {
    const run = runAssignment(
      request({
        command: node("console.log('epoch 1 done'); console.error('warning: slow disk')"),
        gpuIndexes: [0, 1],
      }),
    )
    expect(run.pid).toBeGreaterThan(0)
    const result = await run.result
    expect(result).toMatchObject({ exitCode: 0, error: '', gpuSeconds: 2 })
    expect(result.logTail).toContain('epoch 1 done\n')
    expect(result.logTail).toContain('warning: slow disk\n')
    expect(result.wallMs).toBeGreaterThan(0)
  })

  it('reports the exit code of a failing job, with no agent error', async () => {
    const result = await runAssignment(
      request({ command: node("console.error('CUDA out of memory'); process.exit(3)") }),
    ).result
    expect(result).toMatchObject({ exitCode: 3, error: '', gpuSeconds: 1 })
    expect(result.logTail).toContain('CUDA out of memory')
  })

  it('kills the whole process tree when the job runs past its max duration', async () => {
    // The job ignores SIGTERM and starts a grandchild: both must be gone afterwards.
    const script = `
      const { spawn } = require('node:child_process')
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'))
      const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
      console.log('grandchild ' + grandchild.pid)
      setInterval(() => {}, 1000)`
    const run = runAssignment(request({ command: node(script), maxDurationS: 1, gpuIndexes: [0, 1, 2] }))
    const result = await run.result
    expect(result).toMatchObject({ exitCode: -1, error: MAX_DURATION_EXCEEDED, gpuSeconds: 6 })
    expect(result.wallMs).toBeGreaterThanOrEqual(1000)
    expect(result.wallMs).toBeLessThan(3000)
    expect(result.logTail).toContain('ignoring SIGTERM')
    const grandchildPid = Number(/grandchild (\d+)/.exec(result.logTail)?.[1])
    expect(grandchildPid).toBeGreaterThan(0)
    expect(await waitUntil(() => !isAlive(grandchildPid))).toBe(true)
    expect(isAlive(run.pid ?? 0)).toBe(false)
  })

  it('completes with -1 and the reason when the command does not exist, without throwing', async () => {
    const run = runAssignment(request({ command: ['idlegrid-no-such-trainer', '--epochs', '3'] }))
    const result = await run.result
    expect(result.exitCode).toBe(-1)
    expect(result.error).toContain('could not start "idlegrid-no-such-trainer"')
    expect(result.error).toContain('ENOENT')
    expect(result.gpuSeconds).toBe(0)
    expect(result.wallMs).toBe(0)
  })

  it('completes with -1 when the job has no command', async () => {
    const result = await runAssignment(request({ command: [] })).result
    expect(result).toMatchObject({ exitCode: -1, error: 'the job has no command', gpuSeconds: 0 })
  })

  it('stops a job on request with the given reason', async () => {
    const run = runAssignment(
      request({ command: node("console.log('serving'); setInterval(() => {}, 1000)") }),
    )
    await new Promise((resolve) => setTimeout(resolve, 150))
    run.kill('agent stopped')
    const result = await run.result
    expect(result).toMatchObject({ exitCode: -1, error: 'agent stopped' })
    expect(result.wallMs).toBeLessThan(2000)
  })

  it('reports a job killed by a signal it did not expect', async () => {
    const result = await runAssignment(request({ command: node("process.kill(process.pid, 'SIGSEGV')") }))
      .result
    expect(result).toMatchObject({ exitCode: -1, error: 'killed by signal SIGSEGV' })
  })

  it('sends progress with sequence 1, 2, 3… and the latest output', async () => {
    const progress: RunProgress[] = []
    const script =
      "let i = 0; const t = setInterval(() => console.log('step ' + ++i), 20); setTimeout(() => process.exit(0), 400)"
    const result = await runAssignment(request({ command: node(script), progressIntervalMs: 50 }), {
      onProgress: (p) => progress.push(p),
    }).result
    expect(result.exitCode).toBe(0)
    expect(progress.length).toBeGreaterThanOrEqual(4)
    expect(progress.map((p) => p.sequence)).toEqual(progress.map((_, i) => i + 1))
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]?.elapsedMs).toBeGreaterThanOrEqual(progress[i - 1]?.elapsedMs ?? 0)
    }
    expect(progress.at(-1)?.logTail).toMatch(/step \d+\n$/)
  })

  it('gives the job only PATH, HOME, its own variables, its GPUs and its job id', async () => {
    process.env.IDLEGRID_AGENT_SECRET = 'must-not-leak'
    try {
      const result = await runAssignment(
        request({
          jobId: 'job_42',
          command: node('console.log(JSON.stringify(process.env))'),
          env: { EPOCHS: '3', CUDA_VISIBLE_DEVICES: '0,1,2,3,4,5,6,7' },
          gpuIndexes: [2, 5],
        }),
      ).result
      const env = JSON.parse(result.logTail) as Record<string, string>
      expect(env).toEqual({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        EPOCHS: '3',
        CUDA_VISIBLE_DEVICES: '2,5',
        IDLEGRID_JOB_ID: 'job_42',
      })
    } finally {
      delete process.env.IDLEGRID_AGENT_SECRET
    }
  })

  it('runs several jobs at once, each on its own GPUs', async () => {
    const script = "setTimeout(() => console.log('gpus=' + process.env.CUDA_VISIBLE_DEVICES), 100)"
    const [a, b] = await Promise.all([
      runAssignment(request({ command: node(script), gpuIndexes: [0] })).result,
      runAssignment(request({ command: node(script), gpuIndexes: [1, 2] })).result,
    ])
    expect(a?.logTail).toBe('gpus=0\n')
    expect(b?.logTail).toBe('gpus=1,2\n')
  })
})

describe('jobEnvironment', () => {
  it('falls back to a standard PATH when the agent has none', () => {
    expect(jobEnvironment({ jobId: 'j', env: {}, gpuIndexes: [] }, { HOME: '/home/gpu' })).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/home/gpu',
      CUDA_VISIBLE_DEVICES: '',
      IDLEGRID_JOB_ID: 'j',
    })
  })
})
