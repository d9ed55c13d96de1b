import type { FastifyInstance, FastifySchema } from 'fastify'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

// Ops routes stay out of the public OpenAPI document (`hide` is read by @fastify/swagger).
const hidden = { schema: { hide: true } as FastifySchema }

export type ReadinessChecks = Record<string, () => Promise<boolean>>

/** Per-service metrics registry (no process-wide singleton: tests run many services in one process). */
export function createMetrics(service: string) {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  // GC pauses in steps fine enough to tell a routine scavenge (≈1 ms) from one that stalls the event loop.
  collectDefaultMetrics({
    register: registry,
    gcDurationBuckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  })
  return {
    registry,
    counter: <L extends string>(name: string, help: string, labelNames: L[] = []) =>
      new Counter<L>({ name, help, labelNames, registers: [registry] }),
    /** A gauge read when scraped, e.g. open streams. */
    gauge: (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read())
        },
      }),
    histogram: <L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]) =>
      new Histogram<L>({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>

/**
 * /healthz: the process is alive. /readyz: 200 only while every dependency
 * answers (Postgres, Redis, gRPC peers) and the service is not stopping.
 * /metrics: Prometheus text.
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  options: { checks: ReadinessChecks; metrics: Metrics; isStopping: () => boolean },
): void {
  app.get('/healthz', hidden, async () => ({ status: 'ok' }))
  app.get('/readyz', hidden, async (_request, reply) => {
    const names = Object.keys(options.checks)
    const results = await Promise.all(names.map((n) => options.checks[n]!().catch(() => false)))
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]]))
    const ready = !options.isStopping() && results.every(Boolean)
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks })
  })
  app.get('/metrics', hidden, async (_request, reply) =>
    reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
  )
}
