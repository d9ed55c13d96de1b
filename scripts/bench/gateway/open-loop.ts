import { Agent, request } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { round } from '../harness.js'
import { beyondResolution, EVENT_LOOP_RESOLUTION_MS, percentile } from '../registry/stats.js'

/**
 * A steady offered load: request i is due at start + i / rate, whether or
 * not earlier ones have been answered (open loop, as many independent
 * customers are), and its latency counts from when it was due, so a stall
 * in the server (or in this generator) shows in full instead of slowing the
 * offer down.
 *
 * autocannon's `overallRate` is not this: each connection may send rate ÷
 * connections requests per second, back to back, and then waits for the
 * next second, so every second starts with a burst of all connections at
 * once; and it records each slow response again at 1 ms intervals below
 * its own value (its coordinated-omission correction, with 1 ms taken as
 * the expected interval).
 */
export interface OpenLoopOptions {
  url: string
  /** Requests per second offered. */
  rate: number
  seconds: number
  /** Most sockets open at once; a request due while all are busy waits for one (and that wait counts). */
  connections: number
  /** The i-th request: its method, path, headers and body. */
  next(i: number): { method: string; path: string; headers: Record<string, string>; body?: string }
}

/** Requests/s answered, 2xx and other answers, latency percentiles (ms). */
export interface OpenLoopResult {
  perSecond: number
  ok: number
  failed: number
  p50: number
  p99: number
  max: number
  /**
   * This generator's own event-loop delay during the run (p99 / max, ms):
   * a request answered while the generator was stalled is counted late.
   */
  generatorDelay?: { p99Ms: number | null; maxMs: number | null }
  /** Each request: when it was due (wall-clock ms) and how long after that its answer came. */
  requests?: { sentAt: number; latencyMs: number }[]
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(options.url)
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const total = Math.round(options.rate * options.seconds)
  const requests: { sentAt: number; latencyMs: number }[] = []
  let ok = 0
  let failed = 0
  let sent = 0
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  delay.enable()
  const start = performance.now()
  const dueAt = (i: number) => start + (i * 1000) / options.rate

  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const due = dueAt(i)
      const { method, path, headers, body } = options.next(i)
      const req = request(
        { host: target.hostname, port: target.port, method, path, headers, agent },
        (res) => {
          res.resume()
          res.on('end', () => {
            requests.push({ sentAt: performance.timeOrigin + due, latencyMs: performance.now() - due })
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok++
            else failed++
            resolve()
          })
        },
      )
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end(body)
    })

  const inFlight: Promise<void>[] = []
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now()
      while (sent < total && dueAt(sent) <= now) inFlight.push(send(sent++))
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, dueAt(sent) - performance.now())))
      else done()
    }
    tick()
  })
  await Promise.all(inFlight)
  const elapsedS = (performance.now() - start) / 1000
  delay.disable()
  agent.destroy()
  const ms = (x: number) => round(x, 1) ?? 0
  const latencies = requests.map((r) => r.latencyMs)
  return {
    perSecond: total / elapsedS,
    ok,
    failed,
    p50: ms(percentile(latencies, 0.5)),
    p99: ms(percentile(latencies, 0.99)),
    max: ms(latencies.reduce((a, b) => Math.max(a, b), 0)),
    // The histogram is in ns.
    generatorDelay: {
      p99Ms: beyondResolution(delay.percentile(99) / 1e6),
      maxMs: beyondResolution(delay.max / 1e6),
    },
    requests,
  }
}
