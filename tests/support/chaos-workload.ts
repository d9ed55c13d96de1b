import { type Kysely, sql } from '@idlegrid/db'
import { waitFor } from '@idlegrid/testkit'
import { expect } from 'vitest'
import { type Account, type Body, callApi } from './api.js'

/**
 * What the crash and outage tests (tests/e2e/chaos.test.ts, outages.test.ts)
 * share: a customer who keeps asking through failures, the mix of jobs they
 * submit, and the checks that no job and no cent was lost.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface PatientClient {
  /** Asks until answered: a refused connection, a 5xx or a 409 busy key is asked again; any other answer is returned. */
  ask(
    method: string,
    path: string,
    key: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Body }>
  /** Attempts that got no answer or a 5xx: how much of the chaos the customer felt. */
  unanswered(): number
  /** Each 5xx answered meanwhile, as `<status> <code> retry-after=<s>`, and each attempt that threw, as `threw <message>`. */
  failures(): string[]
}

/** A client that keeps asking until it gets an answer, as the SDK's users would through an outage. */
export function patientClient(gatewayUrl: string): PatientClient {
  let unanswered = 0
  const failures: string[] = []
  return {
    async ask(method, path, key, body, headers = {}) {
      const until = Date.now() + 120_000
      for (;;) {
        try {
          const res = await callApi(gatewayUrl, method, path, key, body, headers)
          if (res.status < 500 && res.body.code !== 'idempotency_key_busy') return res
          if (res.status >= 500)
            failures.push(`${res.status} ${res.body.code} retry-after=${res.headers.get('retry-after')}`)
        } catch (err) {
          // No answer (the gateway is down), or one its OpenAPI document does not allow (tests/support/contract.ts).
          failures.push(`threw ${(err as Error).message}`)
        }
        unanswered++
        if (Date.now() > until) throw new Error(`${method} ${path} got no answer for 120 s`)
        await sleep(150)
      }
    },
    unanswered: () => unanswered,
    failures: () => failures,
  }
}

const training = {
  kind: 'training',
  command: ['node', '-e', 'setTimeout(() => {}, 1200)'],
  gpus: { count: 1 },
  maxDurationS: 600,
}
/** 40 frames in chunks of 10: four tasks on as many nodes as are free. */
const render = {
  ...training,
  kind: 'render',
  command: ['node', '-e', 'setTimeout(() => {}, 800)'],
  render: { frameStart: 1, frameEnd: 40, chunkSize: 10 },
}

/** Every seventh job (from the fourth) its customer cancels as soon as it is answered. */
export const cancelledAtOnce = (i: number) => i % 7 === 3

/**
 * Submits `jobs` jobs, one every 400 ms, each retried with its
 * Idempotency-Key until answered — every sixth a render job — and cancels
 * those `cancelledAtOnce` names. Resolves with the job ids, in order.
 */
export async function submitWorkload(
  client: PatientClient,
  customer: Account,
  jobs: number,
  keyPrefix: string,
): Promise<string[]> {
  const submitted: Promise<string>[] = []
  for (let i = 0; i < jobs; i++) {
    const body = i % 6 === 5 ? render : training
    submitted.push(
      client
        .ask('POST', '/v1/jobs', customer.apiKey, body, { 'idempotency-key': `${keyPrefix}-${i}` })
        .then(async (r) => {
          if (r.status !== 201 && r.status !== 200)
            throw new Error(`job ${i} refused: ${r.status} ${JSON.stringify(r.body)}`)
          const id = r.body.id as string
          if (cancelledAtOnce(i)) {
            const cancel = await client.ask('POST', `/v1/jobs/${id}/cancel`, customer.apiKey)
            // Already over (it ran to the end first) is the one other answer.
            if (cancel.status !== 200 && cancel.body.code !== 'job_finished')
              throw new Error(`cancel of job ${i} refused: ${cancel.status} ${JSON.stringify(cancel.body)}`)
          }
          return id
        }),
    )
    await sleep(400)
  }
  const ids = await Promise.all(submitted)
  expect(new Set(ids).size).toBe(jobs)
  return ids
}

/**
 * Waits until every job is settled and checks how each ended: succeeded,
 * or (cancelled by its customer) cancelled or succeeded first; and that the
 * customer's jobs are exactly those (no retry made a second one). A timeout
 * says what each unsettled job was doing and, read from `db`, which GPUs
 * the registry holds for which runs and how it sees each node.
 */
export async function expectAllSettled(
  client: PatientClient,
  customer: Account,
  ids: string[],
  timeoutMs: number,
  db: Kysely<unknown>,
): Promise<Body[]> {
  let unsettled: Body[] = []
  const final = await waitFor(
    async () => {
      const jobs = await Promise.all(
        ids.map(async (id) => (await client.ask('GET', `/v1/jobs/${id}`, customer.apiKey)).body),
      )
      unsettled = jobs.filter((j) => !j.settledAt)
      return unsettled.length === 0 ? jobs : undefined
    },
    { timeoutMs, intervalMs: 1_000, what: 'every job settled' },
  ).catch(async (err: Error) => {
    const seen = unsettled.map((j) => ({
      id: j.id,
      status: j.status,
      waitingReason: j.waitingReason,
      error: j.error,
      placedAt: j.placedAt,
      finishedAt: j.finishedAt,
      tasks: j.tasks,
    }))
    const registry = await fleetAsTheRegistrySeesIt(db).catch((e: Error) => `unreadable: ${e.message}`)
    throw new Error(
      `${err.message}; unsettled: ${JSON.stringify(seen)}; registry: ${JSON.stringify(registry)}`,
    )
  })
  final.forEach((j, i) => {
    expect(j.id).toBe(ids[i])
    if (cancelledAtOnce(i)) expect(['cancelled', 'succeeded'], j.id).toContain(j.status)
    else expect(j.status, j.id).toBe('succeeded')
    if (j.status === 'succeeded') expect(j.cost.chargedMicros).toBeGreaterThan(0)
  })
  expect(final.filter((j) => j.status === 'cancelled').length).toBeGreaterThan(0)
  const listed = (await client.ask('GET', '/v1/jobs?limit=100', customer.apiKey)).body
  expect(listed.data.map((j: Body) => j.id).sort()).toEqual([...ids].sort())
  return final
}

/** Each node's liveness, and each GPU held with the state of the run holding it. */
async function fleetAsTheRegistrySeesIt(db: Kysely<unknown>) {
  const nodes = await sql<{ id: string; liveness: string; admin_state: string }>`
    select id, liveness, admin_state from registry.nodes order by id`.execute(db)
  const held = await sql<{
    node_id: string
    index: number
    job_id: string
    state: string
    completed: boolean
  }>`
    select g.node_id, g.index, a.job_id, a.state, a.completed_at is not null as completed
      from registry.gpus g left join registry.assignments a on a.id = g.assignment_id
     where g.assignment_id is not null order by g.node_id, g.index`.execute(db)
  return { nodes: nodes.rows, gpusHeld: held.rows }
}

/**
 * Every cent: the customer has the deposit less what the jobs were charged
 * and nothing held (a hold cut off from its job included), the provider
 * earned exactly what its jobs paid it, and every currency sums to zero.
 */
export async function expectMoneyWhole(
  client: PatientClient,
  parties: { customer: Account; provider: Account; deposit: number },
  final: Body[],
  db: Kysely<unknown>,
): Promise<void> {
  const charged = final.reduce((sum, j) => sum + (j.cost?.chargedMicros ?? 0), 0)
  const balance = await waitFor(
    async () => {
      const b = (await client.ask('GET', '/v1/balance', parties.customer.apiKey)).body
      return b.heldMicros === 0 ? b : undefined
    },
    { timeoutMs: 60_000, intervalMs: 1_000, what: 'no money left held' },
  )
  expect(balance.availableMicros).toBe(parties.deposit - charged)
  const earned = final.reduce((sum, j) => sum + (j.cost?.providerMicros ?? 0), 0)
  expect(earned).toBeGreaterThan(0)
  expect((await client.ask('GET', '/v1/balance', parties.provider.apiKey)).body.earnedMicros).toBe(earned)
  const totals = await sql<{ currency: string; total: string }>`
    select currency, sum(balance)::text as total from billing.accounts group by currency`.execute(db)
  for (const t of totals.rows) expect(t.total, t.currency).toBe('0')
}
