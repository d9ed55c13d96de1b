import type { Agent } from '@idlegrid/node-agent'
import { InMemorySpanExporter, SpanKind, startTelemetry } from '@idlegrid/telemetry'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * One job through the in-process cluster with telemetry on, then the trace
 * graph read back from the exported spans: which hops continue the trace of
 * the hop that caused them (gRPC metadata, outbox rows, BullMQ job data).
 * A job submission is one span (`submit job`) and every agent message is one
 * (`agent <message>`), so the causes of queue work are traceable too.
 */
type ExportedSpan = ReturnType<InMemorySpanExporter['getFinishedSpans']>[number]

const env = useTestEnv()
const exporter = new InMemorySpanExporter()
const telemetry = startTelemetry('test', exporter)
let cluster: Cluster
const agents: Agent[] = []
let apiKey: string
let jobId: string

const spans = () => exporter.getFinishedSpans()
const jobIdOf = (span: ExportedSpan) => String(span.attributes['job.id'] ?? '')
const traceOf = (span: ExportedSpan) => span.spanContext().traceId
const show = (list: ExportedSpan[]) =>
  list
    .map(
      (s) =>
        `${s.name} kind=${s.kind} trace=${traceOf(s)} span=${s.spanContext().spanId} parent=${s.parentSpanContext?.spanId ?? '-'} job=${jobIdOf(s)}`,
    )
    .join('\n')

const isChildOf = (parent: ExportedSpan) => (s: ExportedSpan) =>
  traceOf(s) === traceOf(parent) && s.parentSpanContext?.spanId === parent.spanContext().spanId

/** The first finished span that matches; on timeout the error lists every span exported. */
const waitForSpan = (what: string, match: (s: ExportedSpan) => boolean) =>
  waitFor(() => spans().find(match), { what: `span ${what}`, timeoutMs: 10_000 }).catch((err: Error) => {
    throw new Error(`${err.message}\nexported spans:\n${show(spans())}`)
  })

const api = async (method: string, path: string, body?: unknown, key?: string) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  cluster = await startCluster(env)
  agents.push(await startAgent(cluster, { provider: 'prov_t', gpus: '1xRTX4090:24' }))
  const signup = await api('POST', '/v1/accounts', { name: 'Trace Studio' })
  expect(signup.status).toBe(201)
  apiKey = signup.body.apiKey as string
  expect((await api('POST', '/v1/deposits', { amountMicros: 10_000_000 }, apiKey)).status).toBe(201)
  const created = await api(
    'POST',
    '/v1/jobs',
    { kind: 'training', maxDurationS: 60, command: ['node', '-e', 'process.exit(0)'], gpus: { count: 1 } },
    apiKey,
  )
  expect(created.status).toBe(201)
  jobId = created.body.id as string
  await waitFor(async () => (await api('GET', `/v1/jobs/${jobId}`, undefined, apiKey)).body.settledAt, {
    timeoutMs: 20_000,
    what: `job ${jobId} settled`,
  })
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
  await telemetry.shutdown()
})

describe('spans for the hops of one job', () => {
  it('answers each gRPC call in a SERVER span named after the RPC', async () => {
    // A submission's check and hold travel in batch calls; each item is served in its own span. The
    // gateway prices it from the book pricing answers to GetPriceBook.
    for (const name of [
      'rpc matching.CheckJobs',
      'rpc pricing.GetPriceBook',
      'rpc billing.PlaceHolds',
      'rpc registry.ListNodes',
      'rpc registry.ReserveGpus',
    ]) {
      const span = await waitForSpan(name, (s) => s.name === name)
      expect(span.kind, name).toBe(SpanKind.SERVER)
    }
  })

  it('consumes each queued job in a CONSUMER span named after its queue, tagged with the job id', async () => {
    const consumed = [
      ['queue match-job', `match_${jobId}`],
      ['queue settle-job', 'settle_asg_'],
      ['queue job-event', `settled_${jobId}`],
    ] as const
    for (const [name, id] of consumed) {
      const span = await waitForSpan(`${name} ${id}`, (s) => s.name === name && jobIdOf(s).startsWith(id))
      expect(span.kind, name).toBe(SpanKind.CONSUMER)
    }
  })
})

describe('trace context across service boundaries', () => {
  it('continues the match-job trace in the registry calls matching makes (gRPC metadata)', async () => {
    const match = await waitForSpan('match-job', (s) => jobIdOf(s) === `match_${jobId}`)
    const under = isChildOf(match)
    await waitForSpan('ListNodes under match-job', (s) => s.name === 'rpc registry.ListNodes' && under(s))
    await waitForSpan('ReserveGpus under match-job', (s) => s.name === 'rpc registry.ReserveGpus' && under(s))
  })

  it('keeps the check, the price, the hold and the match request of one submission in one trace, though they travel in batch calls', async () => {
    const submit = await waitForSpan('submit job', (s) => s.name === 'submit job' && jobIdOf(s) === jobId)
    const under = isChildOf(submit)
    await waitForSpan('CheckJobs item under submit', (s) => s.name === 'rpc matching.CheckJobs' && under(s))
    await waitForSpan('price under submit', (s) => s.name === 'price job' && under(s))
    await waitForSpan('PlaceHolds item under submit', (s) => s.name === 'rpc billing.PlaceHolds' && under(s))
    await waitForSpan('match-job under submit', (s) => jobIdOf(s) === `match_${jobId}` && under(s))
  })

  it('continues the trace of the agent completion in the settlement it caused', async () => {
    const completion = await waitForSpan('agent completion', (s) => s.name === 'agent completion')
    const settle = await waitForSpan('settle-job', (s) => s.name === 'queue settle-job')
    expect(settle.parentSpanContext?.spanId).toBe(completion.spanContext().spanId)
    expect(traceOf(settle)).toBe(traceOf(completion))
  })

  it('continues the ReserveGpus trace in the placed event it wrote (outbox row → BullMQ job data)', async () => {
    const reserve = await waitForSpan('ReserveGpus', (s) => s.name === 'rpc registry.ReserveGpus')
    const under = isChildOf(reserve)
    await waitForSpan('placed event under ReserveGpus', (s) => jobIdOf(s).startsWith('placed_') && under(s))
  })

  it('continues the settle-job trace in the settled event billing wrote', async () => {
    const settle = await waitForSpan('settle-job', (s) => s.name === 'queue settle-job')
    const under = isChildOf(settle)
    await waitForSpan('settled event under settle-job', (s) => jobIdOf(s) === `settled_${jobId}` && under(s))
  })

  it('continues the trace of the capacity event that retries a waiting job (queue → queue)', async () => {
    // An A100 node that went away (suspect): the job could run there, so it waits instead of being refused.
    const gone = await startAgent(cluster, { provider: 'prov_t2', gpus: '1xA100:80' })
    await gone.stop()
    const waiting = await api(
      'POST',
      '/v1/jobs',
      { kind: 'training', maxDurationS: 60, command: ['true'], gpus: { count: 1, models: ['A100'] } },
      apiKey,
    )
    expect(waiting.status).toBe(201)
    await waitFor(
      async () => (await api('GET', `/v1/jobs/${waiting.body.id}`, undefined, apiKey)).body.waitingReason,
      {
        what: 'the A100 job to wait',
      },
    )
    agents.push(await startAgent(cluster, { provider: 'prov_t2', gpus: '1xA100:80' }))
    const retry = await waitForSpan('retried match-job', (s) =>
      jobIdOf(s).startsWith(`match_${waiting.body.id}_e`),
    )
    const cause = spans().find((s) => s.spanContext().spanId === retry.parentSpanContext?.spanId)
    expect(cause?.name, show(spans())).toBe('queue capacity-changed')
    expect(traceOf(retry)).toBe(traceOf(cause!))
  })
})
