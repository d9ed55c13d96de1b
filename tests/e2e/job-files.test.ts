import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * A job's input and output URIs, end to end: the gateway checks them, the
 * spec carries them through matching and the registry, the agent fetches the
 * inputs before the process starts and uploads the output directory after
 * it, against a real HTTP server standing in for an object store.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let apiKey: string
let store: Server
let storeUrl: string
let scratch: string

const dataset = Buffer.from('epoch,loss\n1,0.9\n2,0.4\n')
const uploads = new Map<string, Buffer>()

interface JobBody {
  id: string
  status: string
  exitCode: number | null
  error: string | null
  gpuSeconds: number | null
  settledAt: string | null
  spec: Record<string, unknown>
  code?: string
  field?: string
  detail?: string
  [field: string]: unknown
}

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as JobBody }
}

const job = (spec: Record<string, unknown>) => ({
  kind: 'training',
  gpus: { count: 1 },
  maxDurationS: 60,
  maxPricePerGpuHourMicros: 1_000_000,
  ...spec,
})

const settled = (id: string) =>
  waitFor(
    async () => {
      const { body } = await api('GET', `/v1/jobs/${id}`)
      return body.settledAt ? body : undefined
    },
    { timeoutMs: 30_000, what: `job ${id} settled` },
  )

/** The files in a .tar.gz, by path. */
function unpack(archive: Buffer): Map<string, string> {
  const dir = mkdtempSync(join(scratch, 'unpacked-'))
  writeFileSync(join(dir, 'a.tar.gz'), archive)
  mkdirSync(join(dir, 'x'))
  execFileSync('tar', ['-xzf', join(dir, 'a.tar.gz'), '-C', join(dir, 'x')])
  const listed = execFileSync('find', ['.', '-type', 'f'], { cwd: join(dir, 'x'), encoding: 'utf8' })
  return new Map(
    listed
      .split('\n')
      .filter(Boolean)
      .map((path) => [path.replace(/^\.\//, ''), readFileSync(join(dir, 'x', path), 'utf8')]),
  )
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'idlegrid-e2e-files-'))
  store = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!
    if (req.method === 'GET')
      return path === '/datasets/loss.csv' ? res.writeHead(200).end(dataset) : res.writeHead(404).end()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      uploads.set(path, Buffer.concat(chunks))
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve))
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_files', gpus: '2xL4:24' })
  const signup = await fetch(`${cluster.gatewayUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Files Studio' }),
  })
  apiKey = ((await signup.json()) as { apiKey: string }).apiKey
  expect((await api('POST', '/v1/deposits', { amountMicros: 20_000_000 })).status).toBe(201)
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
  store?.closeAllConnections()
  await new Promise((resolve) => store?.close(resolve))
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

describe('a job with input and output URIs', { timeout: 60_000 }, () => {
  it('runs on its fetched inputs and has its outputs uploaded as one .tar.gz', async () => {
    const sha256 = createHash('sha256').update(dataset).digest('hex')
    const script = `
      const fs = require('node:fs')
      const rows = fs.readFileSync('data/loss.csv', 'utf8').trim().split('\\n').length - 1
      fs.writeFileSync(process.env.IDLEGRID_OUTPUT_DIR + '/summary.txt', 'rows=' + rows)
      console.log('trained on', rows, 'rows')`
    const submitted = await api(
      'POST',
      '/v1/jobs',
      job({
        command: ['node', '-e', script],
        inputs: [{ uri: `${storeUrl}/datasets/loss.csv?X-Amz-Signature=abc`, path: 'data/loss.csv', sha256 }],
        outputUri: `${storeUrl}/results/run-1.tar.gz?X-Amz-Signature=abc`,
      }),
    )
    expect(submitted.status).toBe(201)
    expect(submitted.body.spec).toMatchObject({
      inputs: [{ path: 'data/loss.csv', sha256 }],
      outputUri: `${storeUrl}/results/run-1.tar.gz?X-Amz-Signature=abc`,
    })
    const done = await settled(submitted.body.id)
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0 })
    expect(done.gpuSeconds).toBeGreaterThanOrEqual(1)
    expect(unpack(uploads.get('/results/run-1.tar.gz')!)).toEqual(
      new Map([
        ['summary.txt', 'rows=2'],
        ['idlegrid-job.log', 'trained on 2 rows\n'],
      ]),
    )
  })

  it('fails a job whose input cannot be fetched, saying which and why, without its process running', async () => {
    const submitted = await api(
      'POST',
      '/v1/jobs',
      job({
        command: ['node', '-e', 'console.log("should not run")'],
        inputs: [{ uri: `${storeUrl}/datasets/gone.csv`, path: 'gone.csv' }],
      }),
    )
    const done = await settled(submitted.body.id)
    expect(done).toMatchObject({ status: 'failed', exitCode: -1 })
    expect(done.error).toMatch(
      /^input gone\.csv: http:\/\/127\.0\.0\.1:\d+\/datasets\/gone\.csv answered HTTP 404$/,
    )
    expect(done.logTail ?? '').not.toContain('should not run')
  })

  it("uploads each render chunk's outputs to its own URI", async () => {
    const submitted = await api(
      'POST',
      '/v1/jobs',
      job({
        kind: 'render',
        command: ['sh', '-c', 'echo "frames {frameStart}-{frameEnd}" > "$IDLEGRID_OUTPUT_DIR/frames.txt"'],
        render: { frameStart: 1, frameEnd: 30, chunkSize: 10 },
        outputUri: `${storeUrl}/renders/shot-{chunk}.tar.gz`,
      }),
    )
    expect(submitted.status).toBe(201)
    expect((await settled(submitted.body.id)).status).toBe('succeeded')
    for (const [chunk, frames] of [
      [0, '1-10'],
      [1, '11-20'],
      [2, '21-30'],
    ] as const)
      expect(unpack(uploads.get(`/renders/shot-${chunk}.tar.gz`)!).get('frames.txt')).toBe(
        `frames ${frames}\n`,
      )
  })

  it.each([
    [{ inputs: [{ uri: 'https://d.example/x', path: '../../etc/cron.d/x' }] }, 'body.inputs.0.path'],
    [{ inputs: [{ uri: 'https://d.example/x', path: '/etc/passwd' }] }, 'body.inputs.0.path'],
    [{ inputs: [{ uri: 'file:///etc/passwd', path: 'p' }] }, 'body.inputs.0.uri'],
    [{ inputs: [{ uri: 'https://d.example/x', path: 'a', sha256: 'abc' }] }, 'body.inputs.0.sha256'],
    [
      {
        inputs: [
          { uri: 'https://d.example/x', path: 'data/a' },
          { uri: 'https://d.example/y', path: 'data/a' },
        ],
      },
      'body.inputs.1.path',
    ],
    [{ outputUri: 'ftp://bucket.example/out.tgz' }, 'body.outputUri'],
    [
      {
        kind: 'render',
        render: { frameStart: 1, frameEnd: 2, chunkSize: 1 },
        outputUri: 'https://o.example/all.tgz',
      },
      'body.outputUri',
    ],
  ])('refuses %j with 400 naming %s, holding nothing', async (spec, field) => {
    const before = (await api('GET', '/v1/balance')).body.availableMicros
    const res = await api('POST', '/v1/jobs', job({ command: ['true'], ...spec }))
    expect(res.status).toBe(400)
    expect(res.body.field).toBe(field)
    expect((await api('GET', '/v1/balance')).body.availableMicros).toBe(before)
  })
})
