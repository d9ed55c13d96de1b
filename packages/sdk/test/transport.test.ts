import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { Idlegrid, IdlegridError } from '../src/index.js'
import { retryAfterMs } from '../src/transport.js'

/** A scripted HTTP server: each request gets the next answer; every request is recorded. */
let server: Server | undefined
async function scripted(answers: ((req: IncomingMessage, res: ServerResponse) => void)[]) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; at: number }[] = []
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() })
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!
    req.resume()
    req.on('end', () => answer(req, res))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { baseUrl: `http://127.0.0.1:${port}`, seen }
}
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

const problem =
  (status: number, code: string, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/problem+json', ...headers })
    res.end(
      JSON.stringify({ type: 'x', title: code, status, code, detail: `${code} happened`, field: 'body.x' }),
    )
  }
const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
const balance = { currency: 'USD', availableMicros: 5, heldMicros: 0, earnedMicros: 0 }

describe('retries', () => {
  it('waits out a 429 as Retry-After says, then succeeds with the same idempotency key', async () => {
    const { baseUrl, seen } = await scripted([
      problem(429, 'rate_limited', { 'retry-after': '1' }),
      json(201, balance),
    ])
    const grid = new Idlegrid({ baseUrl, apiKey: 'key_x.y' })
    expect(await grid.deposits.create({ amountMicros: 5 })).toEqual(balance)
    expect(seen).toHaveLength(2)
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950)
    expect(seen[0]!.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(seen[1]!.headers['idempotency-key']).toBe(seen[0]!.headers['idempotency-key'])
    expect(seen[0]!.headers.authorization).toBe('Bearer key_x.y')
  })

  it('gives up after maxRetries 503s and throws the last problem', async () => {
    const { baseUrl, seen } = await scripted([problem(503, 'billing_unavailable', { 'retry-after': '0' })])
    const grid = new Idlegrid({ baseUrl, maxRetries: 2 })
    const err = await grid.balance().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(IdlegridError)
    expect(err).toMatchObject({
      status: 503,
      code: 'billing_unavailable',
      detail: 'billing_unavailable happened',
    })
    expect(seen).toHaveLength(3)
  })

  it('does not wait out a Retry-After longer than allowed: it throws at once, saying how long', async () => {
    const { baseUrl, seen } = await scripted([problem(429, 'rate_limited', { 'retry-after': '120' })])
    const err = (await new Idlegrid({ baseUrl }).balance().catch((e: unknown) => e)) as IdlegridError
    expect(err.status).toBe(429)
    expect(err.retryAfterMs).toBe(120_000)
    expect(seen).toHaveLength(1)
  })

  it('never repeats a call that is not safe to repeat after a lost connection', async () => {
    let calls = 0
    const { baseUrl } = await scripted([
      (req) => {
        calls++
        req.socket.destroy()
      },
    ])
    const err = (await new Idlegrid({ baseUrl })
      .signup({ name: 'x' })
      .catch((e: unknown) => e)) as IdlegridError
    expect(err).toMatchObject({ status: 0, code: 'unreachable' })
    expect(calls).toBe(1)
  })
})

describe('errors', () => {
  it('carries the problem+json fields', async () => {
    const { baseUrl } = await scripted([problem(400, 'invalid_request')])
    const err = (await new Idlegrid({ baseUrl }).jobs.get('job_x').catch((e: unknown) => e)) as IdlegridError
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', field: 'body.x' })
    expect(err.message).toBe('invalid_request happened (invalid_request, HTTP 400)')
  })

  it('makes a problem of an answer that is not problem+json', async () => {
    const { baseUrl } = await scripted([
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' })
        res.end('<h1>Bad gateway</h1>')
      },
    ])
    const err = (await new Idlegrid({ baseUrl, maxRetries: 0 })
      .balance()
      .catch((e: unknown) => e)) as IdlegridError
    expect(err).toMatchObject({ status: 502, code: 'http_502', detail: '<h1>Bad gateway</h1>' })
  })

  it('says when nothing answers', async () => {
    const err = (await new Idlegrid({ baseUrl: 'http://127.0.0.1:9', maxRetries: 0 })
      .balance()
      .catch((e: unknown) => e)) as IdlegridError
    expect(err).toMatchObject({ status: 0, code: 'unreachable' })
    expect(err.detail).toContain('http://127.0.0.1:9')
  })
})

describe('watch', () => {
  const sse =
    (...events: string[]) =>
    (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(events.join(''))
    }
  const job = (status: string) => `event: job\ndata: ${JSON.stringify({ id: 'job_1', status })}\n\n`

  it('reopens a stream that dropped before the end, without repeating a state already seen', async () => {
    const { baseUrl, seen } = await scripted([
      sse(': keep-alive\n\n', job('running')),
      sse(job('running'), job('succeeded'), 'event: end\ndata: {}\n\n'),
    ])
    const states: string[] = []
    for await (const state of new Idlegrid({ baseUrl }).jobs.watch('job_1')) states.push(state.status)
    expect(states).toEqual(['running', 'succeeded'])
    expect(seen.map((r) => r.url)).toEqual(['/v1/jobs/job_1/events', '/v1/jobs/job_1/events'])
    expect(seen[0]!.headers.accept).toBe('text/event-stream')
  })

  it('gives up on a stream that keeps dropping', async () => {
    const dropping = await scripted([sse()])
    const err = await (async () => {
      for await (const _ of new Idlegrid({ baseUrl: dropping.baseUrl }).jobs.watch('job_1', {
        maxReconnects: 2,
      })) {
      }
    })().catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 0, code: 'unreachable' })
    expect(dropping.seen).toHaveLength(3)
  })

  it('does not reopen a stream the API refused', async () => {
    const { baseUrl, seen } = await scripted([problem(404, 'job_not_found')])
    const err = await new Idlegrid({ baseUrl }).jobs
      .watch('job_1')
      .next()
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 404, code: 'job_not_found' })
    expect(seen).toHaveLength(1)
  })
})

describe('query strings and paths', () => {
  it('repeats array parameters and leaves out undefined ones', async () => {
    const { baseUrl, seen } = await scripted([json(200, { data: [], nodesConsidered: 0 })])
    await new Idlegrid({ baseUrl }).offers({
      model: ['RTX4090', 'A100'],
      gpus: 2,
      region: undefined,
      interruptible: true,
    })
    expect(seen[0]!.url).toBe('/v1/offers?model=RTX4090&model=A100&gpus=2&interruptible=true')
  })
})

describe('Retry-After', () => {
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    [new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (header, ms) => {
    expect(retryAfterMs(header, Date.UTC(2030, 0, 1))).toBe(ms)
  })
})
