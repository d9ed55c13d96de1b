import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, type Kysely, sql } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { loadProtos } from '@idlegrid/proto'
import { freePort, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateAll } from '../../scripts/migrate-all.js'
import { type Account, signUp } from '../support/api.js'
import {
  expectAllSettled,
  expectMoneyWhole,
  patientClient,
  submitWorkload,
} from '../support/chaos-workload.js'
import { type Cluster, startAgent } from '../support/cluster.js'
import { type CompiledProgram, compileProgram } from '../support/compile.js'
import {
  killLaunched,
  type LaunchedProcess,
  launch,
  type ServiceName,
  serviceMain,
  waitUntilHealthy,
} from '../support/processes.js'
import { seededRandom, shuffle } from '../support/settlement-plan.js'

/**
 * The mission's promise — no job and no cent lost under crashes — tested
 * whole: every service runs as its own process and is SIGKILLed and
 * started again, one after another, while a customer submits jobs (render
 * jobs among them, some cancelled at once), retrying each with its
 * Idempotency-Key until it gets an answer, as the SDK's users would, and
 * four real node agents run them — one in its own process, killed and
 * restarted as well, while it runs a job. Afterwards every job submitted
 * exists once and has been settled, having succeeded (or been cancelled,
 * when its customer asked); the customer has the deposit less what the
 * jobs were charged, nothing left held (a hold a crash cut off from its job
 * is given back by the gateway's sweep); no GPU of the three watched nodes
 * ran two jobs at once; and the ledger's hash chains verify. Set CHAOS_SEED
 * to replay another order of crashes, CHAOS_JOBS and CHAOS_ROUNDS to hunt
 * longer.
 */
const env = useTestEnv()
const SEED = Number(process.env.CHAOS_SEED ?? 2026_11_27)
/** Jobs submitted and rounds of crashes (every process once a round): CHAOS_JOBS / CHAOS_ROUNDS for a longer hunt. */
const JOBS = Number(process.env.CHAOS_JOBS ?? 24)
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 2)
const DEPOSIT = 50_000_000
const order: ServiceName[] = ['registry', 'billing', 'matching', 'pricing', 'gateway']
const random = seededRandom(SEED)

let outDir: string
const programs = {} as Record<ServiceName, CompiledProgram>
const envs = {} as Record<ServiceName, Record<string, string>>
const ports = {} as Record<ServiceName, { http: number; grpc: number }>
const procs = {} as Record<ServiceName, LaunchedProcess>
let ledgerCli: CompiledProgram
/** A fourth node's agent in its own process, killed and started again like the services. */
let agentMain: CompiledProgram
let agentEnv: Record<string, string>
let agentProc: LaunchedProcess
let watchDb: Kysely<unknown>
/** Every process launched, in order (each restart is a new one). */
const launched: { name: string; proc: LaunchedProcess }[] = []
const agents: Agent[] = []
let gatewayUrl: string

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const address = (name: ServiceName) => `127.0.0.1:${ports[name].grpc}`

async function start(name: ServiceName): Promise<void> {
  procs[name] = launch(programs[name], envs[name])
  launched.push({ name, proc: procs[name] })
  await waitUntilHealthy(procs[name], `http://127.0.0.1:${ports[name].http}/healthz`, 60_000)
}

async function crash(name: ServiceName): Promise<void> {
  procs[name].child.kill('SIGKILL')
  await procs[name].exited
  await sleep(200 + Math.floor(random() * 600))
  await start(name)
}

/** Runs the fourth node has been given and not finished. */
async function liveRunsOnFourth(): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*)::text as n from registry.assignments a join registry.nodes n on n.id = a.node_id
    where n.name = 'chaos-rig-3' and a.completed_at is null and a.state not in ('lost', 'cancelled')`.execute(
    watchDb,
  )
  return Number(rows[0]!.n)
}

/**
 * The agent killed while it runs a job (waiting a few seconds for one), then
 * restarted on its state directory: the runs it left are stopped and
 * reported interrupted, and their jobs run again.
 */
async function crashAgent(): Promise<void> {
  await waitFor(async () => (await liveRunsOnFourth()) > 0, {
    timeoutMs: 5_000,
    intervalMs: 50,
    what: 'a run on the fourth node',
  }).catch(() => undefined)
  agentProc.child.kill('SIGKILL')
  await agentProc.exited
  await sleep(200 + Math.floor(random() * 600))
  agentProc = launch(agentMain, agentEnv)
  launched.push({ name: 'agent', proc: agentProc })
}

beforeAll(async () => {
  await migrateAll(env.databaseUrl)
  watchDb = createDb<unknown>(env.databaseUrl, { max: 1 })
  outDir = await mkdtemp(join(tmpdir(), 'idlegrid-chaos-'))
  const compiled = await Promise.all([
    ...order.map((name) => compileProgram(serviceMain(name), outDir)),
    compileProgram('services/billing/src/cli/ledger.ts', outDir),
    compileProgram(serviceMain('node-agent'), outDir),
  ])
  order.forEach((name, i) => {
    programs[name] = compiled[i]!
  })
  ledgerCli = compiled[order.length]!
  agentMain = compiled[order.length + 1]!
  for (const name of order) ports[name] = { http: await freePort(), grpc: await freePort() }
  const common = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DB_POOL_MAX: '4',
  }
  for (const name of order)
    envs[name] = { ...common, HTTP_PORT: String(ports[name].http), GRPC_PORT: String(ports[name].grpc) }
  // A killed process's queued work is taken again after 2 s (30 s in production).
  Object.assign(envs.registry, { HEARTBEAT_INTERVAL_MS: '1000' })
  Object.assign(envs.billing, { SETTLE_LOCK_MS: '2000' })
  Object.assign(envs.matching, { REGISTRY_ADDRESS: address('registry'), QUEUE_LOCK_MS: '2000' })
  Object.assign(envs.pricing, { MATCHING_ADDRESS: address('matching'), MARKET_SAMPLE_INTERVAL_MS: '3600000' })
  Object.assign(envs.gateway, {
    REGISTRY_ADDRESS: address('registry'),
    AGENT_REGISTRY_ADDRESS: address('registry'),
    PRICING_ADDRESS: address('pricing'),
    BILLING_ADDRESS: address('billing'),
    MATCHING_ADDRESS: address('matching'),
    QUEUE_LOCK_MS: '2000',
    // A hold a crash cut off from its job is given back once 15 s old (an hour in production).
    ORPHAN_HOLD_AGE_S: '15',
    ORPHAN_HOLD_SWEEP_MS: '1000',
    RATE_LIMIT_PER_MINUTE: '600000',
    RATE_LIMIT_BURST: '10000',
  })
  for (const name of order) await start(name)
  gatewayUrl = `http://127.0.0.1:${ports.gateway.http}`
}, 180_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await killLaunched()
  // CHAOS_LOG_DIR: every process's output, each life of it apart, for a hunt's post-mortem.
  const logDir = process.env.CHAOS_LOG_DIR
  if (logDir) {
    await mkdir(logDir, { recursive: true })
    await Promise.all(
      launched.map(({ name, proc }, i) =>
        writeFile(join(logDir, `${String(i).padStart(3, '0')}-${name}.log`), proc.stdout() + proc.stderr()),
      ),
    )
  }
  await watchDb?.destroy()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

/** Which GPUs each node is running a job on, by the agents' own account: two at once is a double booking. */
function watchGpus(agent: Agent, name: string, doubleBooked: string[]) {
  const busy = new Map<number, string>()
  const runs = new Map<string, number[]>()
  agent.events.on('assignment', (a: { assignmentId: string; gpuIndexes: number[] }) => {
    for (const gpu of a.gpuIndexes) {
      const holder = busy.get(gpu)
      if (holder) doubleBooked.push(`${name} GPU ${gpu}: ${a.assignmentId} while ${holder} ran`)
      busy.set(gpu, a.assignmentId)
    }
    runs.set(a.assignmentId, a.gpuIndexes)
  })
  const free = (assignmentId: string) => {
    for (const gpu of runs.get(assignmentId) ?? []) if (busy.get(gpu) === assignmentId) busy.delete(gpu)
    runs.delete(assignmentId)
  }
  // Its process gone: reported, or stopped without a report (a run the registry gave away).
  agent.events.on('ended', (r: { assignmentId: string }) => free(r.assignmentId))
}

describe('every service crashing and coming back while jobs flow', () => {
  it(
    'loses no job and no cent, books no GPU twice, and keeps the ledger whole',
    async () => {
      const customer: Account = await signUp(gatewayUrl, 'Chaos Labs', 'customer')
      const provider: Account = await signUp(gatewayUrl, 'Chaos GPUs', 'provider')
      const client = patientClient(gatewayUrl)
      expect(
        (await client.ask('POST', '/v1/deposits', customer.apiKey, { amountMicros: DEPOSIT })).status,
      ).toBe(201)
      const doubleBooked: string[] = []
      for (const i of [0, 1, 2]) {
        const agent = await startAgent({ registryAddress: address('registry') } as Cluster, {
          provider: provider.id,
          gpus: '2xRTX4090:24',
        })
        watchGpus(agent, `node ${i}`, doubleBooked)
        agents.push(agent)
      }
      const registry = createClient(loadProtos().idlegrid.registry.v1.RegistryService, address('registry'))
      const { token } = await callUnary(registry, 'enrollNode', {
        providerId: provider.id,
        name: 'chaos-rig-3',
      })
      registry.close()
      agentEnv = {
        IDLEGRID_NODE_TOKEN: token,
        IDLEGRID_REGISTRY: address('registry'),
        IDLEGRID_STATE_DIR: join(outDir, 'agent-state'),
        IDLEGRID_SIMULATE_GPUS: '2xRTX4090:24',
        IDLEGRID_CONTAINER_RUNTIME: 'none',
        LOG_LEVEL: 'info',
      }
      agentProc = launch(agentMain, agentEnv)
      launched.push({ name: 'agent', proc: agentProc })

      // Every service and the fourth node's agent are killed and started again, in a seeded order, once a
      // round, while jobs are submitted.
      const crashed: string[] = []
      const chaos = (async () => {
        for (let round = 0; round < ROUNDS; round++)
          for (const name of shuffle(random, [...order, 'agent' as const])) {
            await sleep(300 + Math.floor(random() * 900))
            await (name === 'agent' ? crashAgent() : crash(name))
            crashed.push(name)
          }
      })()
      const ids = await submitWorkload(client, customer, JOBS, `chaos-${SEED}`)
      await chaos
      expect(crashed).toHaveLength(ROUNDS * (order.length + 1))

      const final = await expectAllSettled(client, customer, ids, 240_000, watchDb)
      expect(doubleBooked).toEqual([])
      // The customer felt the crashes (and got through them).
      expect(client.unanswered()).toBeGreaterThan(0)
      await expectMoneyWhole(client, { customer, provider, deposit: DEPOSIT }, final, watchDb)
      const verify = launch(ledgerCli, { DATABASE_URL: env.databaseUrl }, ['verify'])
      await verify.exited
      expect(verify.stdout(), verify.stderr()).toContain('ledger OK')
    },
    300_000 + JOBS * 1_000 + ROUNDS * 30_000,
  )
})
