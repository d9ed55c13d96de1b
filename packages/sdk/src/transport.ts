import { IdlegridError, type ProblemDetails, syntheticProblem } from './errors.js'

export interface ClientOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string
  /** `key_….<secret>`; calls that need none (sign-up) work without it. */
  apiKey?: string | undefined
  /** Retries of a 429 or 503 (and of a lost connection, where the call is safe to repeat). Default 3. */
  maxRetries?: number
  /** The longest Retry-After honoured; a longer one is not waited out but thrown. Default 30 s. */
  maxRetryWaitMs?: number
  /** Per request, not counting a watched event stream. Default 30 s. */
  timeoutMs?: number
  /** Sent as User-Agent ahead of the SDK's own name. */
  userAgent?: string
  /** Another fetch (tests, proxies). */
  fetch?: typeof fetch
}

export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, QueryValue> | undefined
  body?: unknown
  idempotencyKey?: string | undefined
  /** Safe to send again after a lost connection (GET, or a POST that only answers the same twice). */
  repeatable?: boolean
  accept?: string
  /** No per-request timeout: for event streams, which stay open. */
  stream?: boolean
  signal?: AbortSignal | undefined
}

const SDK_AGENT = 'idlegrid-sdk/0.1.0'
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Exponential backoff with jitter when the server names no wait: 0.25 s, 0.5 s, 1 s, … */
const backoffMs = (attempt: number) => Math.round(250 * 2 ** attempt * (0.5 + Math.random() / 2))

function queryString(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

async function problemOf(res: Response): Promise<ProblemDetails> {
  const text = await res.text().catch(() => '')
  try {
    const body = JSON.parse(text) as Partial<ProblemDetails>
    if (body && typeof body.code === 'string' && typeof body.detail === 'string')
      return { ...body, status: res.status } as ProblemDetails
  } catch {}
  const detail = text.trim().slice(0, 300) || res.statusText || `HTTP ${res.status}`
  return syntheticProblem(res.status, `http_${res.status}`, detail)
}

/** One HTTP exchange with the API: auth, retries of 429/503 and lost connections, problem+json errors. */
export type Send = (call: Call) => Promise<Response>

export function createTransport(options: ClientOptions): Send {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const maxRetries = options.maxRetries ?? 3
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000
  const timeoutMs = options.timeoutMs ?? 30_000
  const userAgent = options.userAgent ? `${options.userAgent} ${SDK_AGENT}` : SDK_AGENT

  return async function send(call) {
    const url = `${baseUrl}${call.path}${queryString(call.query)}`
    const headers: Record<string, string> = {
      accept: call.accept ?? 'application/json',
      'user-agent': userAgent,
    }
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
    if (call.body !== undefined) headers['content-type'] = 'application/json'
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey
    const repeatable = call.repeatable ?? (call.method === 'GET' || call.idempotencyKey !== undefined)

    for (let attempt = 0; ; attempt++) {
      const signals = [call.signal, call.stream ? undefined : AbortSignal.timeout(timeoutMs)]
      const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined))
      let res: Response
      try {
        res = await doFetch(url, {
          method: call.method,
          headers,
          ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
          signal,
        })
      } catch (err) {
        if (call.signal?.aborted) throw err
        if (repeatable && attempt < maxRetries) {
          await sleep(backoffMs(attempt), call.signal)
          continue
        }
        const reason =
          err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : ''
        throw new IdlegridError(
          syntheticProblem(0, 'unreachable', `no answer from ${baseUrl}${reason ? `: ${reason}` : ''}`),
          { cause: err },
        )
      }
      if (res.ok) return res
      const wait = retryAfterMs(res.headers.get('retry-after'))
      if ((res.status === 429 || res.status === 503) && attempt < maxRetries) {
        const delay = wait ?? backoffMs(attempt)
        if (delay <= maxRetryWaitMs) {
          await res.body?.cancel().catch(() => {})
          await sleep(delay, call.signal)
          continue
        }
      }
      throw new IdlegridError(await problemOf(res), wait === undefined ? {} : { retryAfterMs: wait })
    }
  }
}

/** The JSON body of a successful call. The generated types say what it holds; the server is trusted to match. */
export async function sendJson<T>(send: Send, call: Call): Promise<T> {
  const res = await send(call)
  return (await res.json()) as T
}
