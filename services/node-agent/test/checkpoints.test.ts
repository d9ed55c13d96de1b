import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AGENT_STOPPED,
  type CheckpointEvent,
  checkpointDir,
  type JobCheckpoint,
  PREEMPTED,
  runWithFiles,
} from '../src/job-files.js'
import type { RunRequest } from '../src/run-assignment.js'

/**
 * A job's checkpoint on the node: restored before its process starts, saved
 * while it changes, saved once more when the node stops the run for the job
 * to run elsewhere, and never lost to a failed save.
 */

/** A stand-in for an object store: a PUT keeps the body, a GET serves the last one (404 before); /fail/ answers 500. */
const store = new Map<string, Buffer[]>()
let server: Server
let base: string
let scratch: string

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? ''
  if (req.method === 'GET') {
    if (path.startsWith('/broken/')) return res.writeHead(500).end()
    const kept = store.get(path)?.at(-1)
    return kept ? res.writeHead(200, { 'content-length': kept.length }).end(kept) : res.writeHead(404).end()
  }
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    if (path.startsWith('/fail/')) return res.writeHead(500).end()
    store.set(path, [...(store.get(path) ?? []), Buffer.concat(chunks)])
    res.writeHead(200).end()
  })
}

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  scratch = mkdtempSync(join(tmpdir(), 'idlegrid-checkpoints-'))
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, { recursive: true, force: true })
})

let runs = 0
/** Runs `script` with a checkpoint at `path` of the store; answers the run, its root and its checkpoint events. */
function run(script: string, path: string, checkpoint: Partial<JobCheckpoint> = {}) {
  const root = join(scratch, `run-${++runs}`)
  const request: RunRequest = {
    jobId: 'job_ckpt',
    command: [process.execPath, '-e', script],
    env: { IDLEGRID_CHECKPOINT_DIR: checkpointDir(root) },
    gpuIndexes: [0],
    maxDurationS: 60,
    progressIntervalMs: 50,
    killGraceMs: 500,
  }
  const events: CheckpointEvent[] = []
  const running = runWithFiles(
    request,
    {
      root,
      inputs: [],
      outputUri: '',
      checkpoint: { uri: `${base}${path}`, intervalS: 3600, saves: true, ...checkpoint },
    },
    { onCheckpoint: (event) => events.push(event) },
  )
  return { process: running, events }
}

/** What a kept checkpoint holds: file name → text. */
function unpack(archive: Buffer): Record<string, string> {
  const dir = mkdtempSync(join(scratch, 'unpacked-'))
  writeFileSync(join(dir, 'a.tgz'), archive)
  const into = join(dir, 'x')
  execFileSync('mkdir', [into])
  execFileSync('tar', ['-xzf', join(dir, 'a.tgz'), '-C', into])
  const names = execFileSync('ls', [into]).toString().split('\n').filter(Boolean)
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(into, n), 'utf8')]))
}

/** A job that counts in $IDLEGRID_CHECKPOINT_DIR/step (written whole, then renamed), from where it left off. */
const counter = (steps: number, everyMs: number, thenWaitMs = 0) => `
const fs = require('node:fs'); const dir = process.env.IDLEGRID_CHECKPOINT_DIR
let step = fs.existsSync(dir + '/step') ? Number(fs.readFileSync(dir + '/step', 'utf8')) : 0
console.log('resumed at ' + step)
const timer = setInterval(() => {
  step++
  fs.writeFileSync(dir + '/step.tmp', String(step)); fs.renameSync(dir + '/step.tmp', dir + '/step')
  if (step >= ${steps}) { clearInterval(timer); setTimeout(() => {}, ${thenWaitMs}) }
}, ${everyMs})`

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('checkpoints', { timeout: 30_000 }, () => {
  it('starts empty on a first run (404), and the next run resumes from what was saved', async () => {
    const first = run(counter(5, 50, 10_000), '/ckpt/resume.tgz')
    await sleep(1_000)
    first.process.kill(AGENT_STOPPED)
    const stopped = await first.process.result
    expect(stopped.logTail).toContain('resumed at 0')
    expect(first.events).toEqual([{ saved: store.get('/ckpt/resume.tgz')![0]!.length }])
    expect(unpack(store.get('/ckpt/resume.tgz')![0]!)).toEqual({ step: '5' })

    const second = run(counter(8, 50), '/ckpt/resume.tgz')
    const done = await second.process.result
    expect(done).toMatchObject({ exitCode: 0, error: '' })
    expect(done.logTail).toContain('resumed at 5')
    expect(second.events[0]).toEqual({ restored: store.get('/ckpt/resume.tgz')![0]!.length })
    // It ended by itself (done): nothing more to save.
    expect(store.get('/ckpt/resume.tgz')).toHaveLength(1)
  })

  it('saves every interval while the directory changes, and not while it does not', async () => {
    // Changes for ~2.5 s, then stays as it is for ~3.5 s.
    const { process, events } = run(counter(10, 250, 3_500), '/ckpt/periodic.tgz', { intervalS: 1 })
    expect((await process.result).exitCode).toBe(0)
    const saves = store.get('/ckpt/periodic.tgz') ?? []
    expect(events.every((e) => 'saved' in e)).toBe(true)
    // A save a second while it changed (2 or 3 of them), none of the 3 seconds after.
    expect(saves.length).toBeGreaterThanOrEqual(2)
    expect(saves.length).toBeLessThanOrEqual(4)
    expect(unpack(saves.at(-1)!)).toEqual({ step: '10' })
  })

  it('saves once more when the job is preempted, and not when it is cancelled', async () => {
    const preempted = run(counter(3, 50, 10_000), '/ckpt/preempted.tgz')
    await sleep(800)
    preempted.process.kill(PREEMPTED)
    expect((await preempted.process.result).error).toBe(PREEMPTED)
    expect(unpack(store.get('/ckpt/preempted.tgz')![0]!)).toEqual({ step: '3' })

    const cancelled = run(counter(3, 50, 10_000), '/ckpt/cancelled.tgz')
    await sleep(800)
    cancelled.process.kill('cancelled: cancelled')
    await cancelled.process.result
    expect(store.has('/ckpt/cancelled.tgz')).toBe(false)
  })

  it('restores but never saves on a rank that does not keep the checkpoint', async () => {
    const { process } = run(counter(6, 100, 1_500), '/ckpt/rank1.tgz', { intervalS: 1, saves: false })
    await sleep(1_200)
    process.kill(AGENT_STOPPED)
    await process.result
    expect(store.has('/ckpt/rank1.tgz')).toBe(false)
  })

  it('fails the run, without starting its process, when the checkpoint cannot be fetched', async () => {
    const ran = join(scratch, 'ran')
    const { process } = run(
      `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'x')`,
      '/broken/x.tgz?sig=secret',
    )
    const result = await process.result
    expect(result).toMatchObject({ exitCode: -1, logTail: '' })
    expect(existsSync(ran)).toBe(false)
    expect(result.error).toBe(`checkpoint: ${base}/broken/x.tgz?… answered HTTP 500`)
  })

  it('reports a save the store refuses and goes on running', async () => {
    const { process, events } = run(counter(6, 200, 500), '/fail/x.tgz', { intervalS: 1 })
    expect(await process.result).toMatchObject({ exitCode: 0, error: '' })
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events[0]).toEqual({ error: `checkpoint: ${base}/fail/x.tgz answered HTTP 500 to the upload` })
  })
})
