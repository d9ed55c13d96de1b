import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inputDir, outputDir, runWithFiles } from '../src/job-files.js'
import type { RunRequest } from '../src/run-assignment.js'

/** A stand-in for an object store: GET serves files, PUT keeps uploads (or refuses them under /deny/). */
const served = new Map<string, Buffer>([
  ['/data/train.csv', Buffer.from('a,b\n1,2\n')],
  ['/weights.bin', Buffer.alloc(300_000, 7)],
])
const uploads = new Map<
  string,
  { body: Buffer; contentLength: string | undefined; contentType: string | undefined }
>()
let server: Server
let base: string
let scratch: string
/** A port nothing listens on. */
let closedPort: number

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '').split('?')[0]!
  if (req.method === 'GET' && path === '/slow') return res.writeHead(200) // never ends
  if (req.method === 'GET') {
    const file = served.get(path)
    if (!file) return res.writeHead(404).end()
    return res.writeHead(200, { 'content-length': file.length }).end(file)
  }
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    if (path.startsWith('/deny/')) return res.writeHead(403).end()
    uploads.set(path, {
      body: Buffer.concat(chunks),
      contentLength: req.headers['content-length'],
      contentType: req.headers['content-type'],
    })
    res.writeHead(200).end()
  })
}

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  scratch = mkdtempSync(join(tmpdir(), 'idlegrid-job-files-'))
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, { recursive: true, force: true })
})

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** A job that proves it saw its inputs and leaves a result in its output directory. */
function request(root: string, script: string, maxDurationS = 60): RunRequest {
  return {
    jobId: 'job_files',
    command: [process.execPath, '-e', script],
    env: { IDLEGRID_INPUT_DIR: inputDir(root), IDLEGRID_OUTPUT_DIR: outputDir(root) },
    gpuIndexes: [0, 1],
    maxDurationS,
    cwd: inputDir(root),
    progressIntervalMs: 50,
    killGraceMs: 200,
  }
}

const copyInputToOutput = `
  const fs = require('node:fs')
  const csv = fs.readFileSync('data/train.csv', 'utf8')
  const size = fs.statSync(process.env.IDLEGRID_INPUT_DIR + '/model/weights.bin').size
  fs.mkdirSync(process.env.IDLEGRID_OUTPUT_DIR + '/ckpt')
  fs.writeFileSync(process.env.IDLEGRID_OUTPUT_DIR + '/ckpt/result.txt', csv.trim() + ' ' + size)
  for (let i = 0; i < 3000; i++) console.log('line ' + i)
`

describe('a run with files', () => {
  it('fetches its inputs, runs in them, and uploads its outputs as one .tar.gz with a length', async () => {
    const root = join(scratch, 'asg_ok')
    const run = runWithFiles(request(root, copyInputToOutput), {
      root,
      inputs: [
        {
          uri: `${base}/data/train.csv`,
          path: 'data/train.csv',
          sha256: sha256(served.get('/data/train.csv')!),
        },
        { uri: `${base}/weights.bin?X-Amz-Signature=s3cr3t`, path: 'model/weights.bin' },
      ],
      outputUri: `${base}/out/run-1.tar.gz?X-Amz-Signature=s3cr3t`,
    })
    const result = await run.result
    expect(result).toMatchObject({ exitCode: 0, error: '' })
    expect(result.gpuSeconds).toBe(Math.max(1, Math.ceil(result.wallMs / 1000)) * 2)

    const upload = uploads.get('/out/run-1.tar.gz')!
    expect(upload.contentType).toBe('application/gzip')
    expect(Number(upload.contentLength)).toBe(upload.body.length)
    const unpacked = join(scratch, 'unpacked')
    writeFileSync(join(scratch, 'out.tar.gz'), upload.body)
    execFileSync('mkdir', ['-p', unpacked])
    execFileSync('tar', ['-xzf', join(scratch, 'out.tar.gz'), '-C', unpacked])
    expect(readFileSync(join(unpacked, 'ckpt', 'result.txt'), 'utf8')).toBe('a,b\n1,2 300000')
    // Everything the process printed is packed beside its outputs, not only the tail the API shows.
    expect(readFileSync(join(unpacked, 'idlegrid-job.log'), 'utf8')).toBe(
      `${Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n')}\n`,
    )
    // Nothing of the run is left on the node.
    expect(existsSync(root)).toBe(false)
  })

  it.each([
    [
      'an input the store does not have',
      () => ({ uri: `${base}/missing.bin?X-Amz-Signature=s3cr3t`, path: 'missing.bin' }),
      /^input missing\.bin: http:\/\/127\.0\.0\.1:\d+\/missing\.bin\?… answered HTTP 404$/,
    ],
    [
      'an input with another SHA-256',
      () => ({ uri: `${base}/data/train.csv`, path: 'train.csv', sha256: '0'.repeat(64) }),
      new RegExp(
        `^input train\\.csv: its SHA-256 is ${sha256(served.get('/data/train.csv')!)}, not 0{64} as the job says$`,
      ),
    ],
    [
      'an input nobody answers for',
      () => ({ uri: `http://127.0.0.1:${closedPort}/x`, path: 'x' }),
      /^input x: http:\/\/127\.0\.0\.1:\d+\/x could not be fetched: ECONNREFUSED$/,
    ],
  ])('fails without running the process on %s, and never shows a signature', async (_what, input, error) => {
    const root = join(scratch, `asg_${_what.length}`)
    const marker = join(scratch, `ran-${_what.length}`)
    const run = runWithFiles(
      request(root, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')`),
      {
        root,
        inputs: [input()],
        outputUri: '',
      },
    )
    const result = await run.result
    expect(result.exitCode).toBe(-1)
    expect(result.error).toMatch(error)
    expect(result.error).not.toContain('s3cr3t')
    expect(existsSync(marker)).toBe(false)
    expect(existsSync(root)).toBe(false)
  })

  it('uploads the outputs of a process that failed by itself, keeping its exit code', async () => {
    const root = join(scratch, 'asg_exit3')
    const script = `require('node:fs').writeFileSync(process.env.IDLEGRID_OUTPUT_DIR + '/crash.log', 'oom'); process.exit(3)`
    const result = await runWithFiles(request(root, script), {
      root,
      inputs: [],
      outputUri: `${base}/out/crashed.tar.gz`,
    }).result
    expect(result).toMatchObject({ exitCode: 3, error: '' })
    expect(uploads.get('/out/crashed.tar.gz')?.body.length).toBeGreaterThan(0)
  })

  it('uploads nothing for a process stopped at its time limit', async () => {
    const root = join(scratch, 'asg_timeout')
    const result = await runWithFiles(request(root, 'setTimeout(() => {}, 10000)', 1), {
      root,
      inputs: [],
      outputUri: `${base}/out/timed-out.tar.gz`,
    }).result
    expect(result).toMatchObject({ exitCode: -1, error: 'max duration exceeded' })
    expect(uploads.has('/out/timed-out.tar.gz')).toBe(false)
    expect(existsSync(root)).toBe(false)
  })

  it('fails a run whose outputs the store refuses, saying how the process itself ended', async () => {
    const root = join(scratch, 'asg_denied')
    const result = await runWithFiles(request(root, ''), {
      root,
      inputs: [],
      outputUri: `${base}/deny/out.tar.gz`,
    }).result
    expect(result.exitCode).toBe(-1)
    expect(result.error).toMatch(
      /^outputs: http:\/\/127\.0\.0\.1:\d+\/deny\/out\.tar\.gz answered HTTP 403 to the upload \(the process exited 0\)$/,
    )
  })

  it('stops at once when cancelled while still fetching, and when its maximum duration passes there', async () => {
    const root = join(scratch, 'asg_cancel')
    const run = runWithFiles(request(root, ''), {
      root,
      inputs: [{ uri: `${base}/slow`, path: 'slow.bin' }],
      outputUri: `${base}/out/never.tar.gz`,
    })
    setTimeout(() => run.kill('cancelled by the customer'), 200)
    const result = await run.result
    expect(result).toMatchObject({ exitCode: -1, error: 'cancelled by the customer' })
    expect(run.pid).toBeUndefined()
    expect(uploads.has('/out/never.tar.gz')).toBe(false)

    const late = join(scratch, 'asg_late')
    const timed = await runWithFiles(request(late, '', 1), {
      root: late,
      inputs: [{ uri: `${base}/slow`, path: 'slow.bin' }],
      outputUri: '',
    }).result
    expect(timed).toMatchObject({ exitCode: -1, error: 'max duration exceeded' })
    expect(timed.wallMs).toBeGreaterThanOrEqual(1000)
    expect(timed.wallMs).toBeLessThan(10_000)
  })
})
