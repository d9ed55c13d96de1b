import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { commonConfig, loadConfig } from '@idlegrid/config'
import { DemoClient, demoJobs } from './cluster/demo.js'
import { logDir, type Managed, startProcess, stopProcesses, waitReady } from './cluster/processes.js'
import { describeChange, type JobSnapshot, line, usd } from './cluster/report.js'
import { migrateAll } from './migrate-all.js'

/**
 * `npm start`: the whole Idlegrid cluster on this machine. Migrates, starts
 * the five services and three node agents (simulated GPUs, real processes)
 * as separate processes, then runs a demo customer through the public API
 * and prints what happens to each job. Ctrl-C stops everything gracefully.
 */
const config = loadConfig({ DATABASE_URL: commonConfig.DATABASE_URL, REDIS_URL: commonConfig.REDIS_URL })
const shared = {
  DATABASE_URL: config.DATABASE_URL,
  REDIS_URL: config.REDIS_URL,
  QUEUE_PREFIX: 'idlegrid',
  LOG_LEVEL: 'info',
}
const ports = { gateway: 8080, registry: 50051, pricing: 50052, matching: 50053, billing: 50054 }
const address = (port: number) => `127.0.0.1:${port}`

const services: Managed[] = []
const agents: Managed[] = []
const owners: DemoClient[] = []
let stopping = false

async function start() {
  line('cluster', `migrating ${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`)
  const applied = await migrateAll(config.DATABASE_URL)
  line('cluster', applied.length ? `applied ${applied.length} migrations` : 'schemas up to date')

  const launch = (name: string, env: Record<string, string>, httpPort: number) => {
    const p = startProcess(name, name, { ...shared, ...env, HTTP_PORT: String(httpPort) })
    services.push(p)
    return waitReady(name, `http://127.0.0.1:${httpPort}/healthz`, p)
  }
  await Promise.all([
    launch('registry', { GRPC_PORT: String(ports.registry), HEARTBEAT_INTERVAL_MS: '5000' }, 8081),
    launch('pricing', { GRPC_PORT: String(ports.pricing) }, 8082),
    launch('billing', { GRPC_PORT: String(ports.billing) }, 8084),
  ])
  await launch(
    'matching',
    { GRPC_PORT: String(ports.matching), REGISTRY_ADDRESS: address(ports.registry) },
    8083,
  )
  await launch(
    'gateway',
    {
      REGISTRY_ADDRESS: address(ports.registry),
      // The demo's agents run on this machine too.
      AGENT_REGISTRY_ADDRESS: address(ports.registry),
      PRICING_ADDRESS: address(ports.pricing),
      BILLING_ADDRESS: address(ports.billing),
      MATCHING_ADDRESS: address(ports.matching),
      // A local cluster: a developer's webhook receiver listens on this machine.
      WEBHOOK_PRIVATE_ADDRESSES: 'true',
    },
    ports.gateway,
  )
  await waitReady('gateway', `http://127.0.0.1:${ports.gateway}/readyz`, services.at(-1)!)
  line('cluster', `5 services ready — REST API on http://127.0.0.1:${ports.gateway} (OpenAPI: /openapi.json)`)

  const fleet = [
    { name: 'rig-amsterdam', gpus: '2xRTX4090:24', region: 'eu-west', price: '0.45' },
    { name: 'dc-virginia', gpus: '1xA100:80', region: 'us-east', price: '1.20' },
    { name: 'studio-lyon', gpus: '4xL4:24', region: 'eu-west', price: '0.50' },
  ]
  for (const rig of fleet) {
    const ownerClient = new DemoClient(`http://127.0.0.1:${ports.gateway}`)
    const stateDir = join(logDir, '..', 'agents', rig.name)
    const owner = await rigOwner(ownerClient, rig.name, stateDir)
    owners.push(ownerClient)
    agents.push(
      startProcess(rig.name, 'node-agent', {
        IDLEGRID_REGISTRY: address(ports.registry),
        IDLEGRID_NODE_TOKEN: owner.token,
        IDLEGRID_PROVIDER: owner.providerId,
        IDLEGRID_STATE_DIR: stateDir,
        IDLEGRID_REGION: rig.region,
        IDLEGRID_PRICE_PER_GPU_HOUR: rig.price,
        IDLEGRID_SIMULATE_GPUS: rig.gpus,
        IDLEGRID_NODE_NAME: rig.name,
        LOG_LEVEL: 'info',
      }),
    )
    line('agent', `${rig.name}: ${rig.gpus.replace(':', ' ')} GB in ${rig.region} at $${rig.price}/GPU-hour`)
  }
  line('cluster', `logs: ${logDir}`)
  // The demo customer's jobs are checked against the enrolled fleet: wait until every rig has registered its GPUs.
  for (const [i, owner] of owners.entries()) {
    await owner.waitForOnlineNode(30_000)
    line('agent', `${fleet[i]!.name}: online`)
  }
}

/**
 * A rig's owner and node credential. The first run signs the owner up as a
 * provider and enrols the machine, and keeps both beside the agent's state
 * (`.idlegrid/agents/<rig>/owner.json`). A later run on the same database
 * reconnects the same node, as a real agent restarting does: no offline
 * twin is left behind, and outcomes the agent could not send when it was
 * stopped are delivered. On a new database the rig is enrolled afresh.
 */
async function rigOwner(
  client: DemoClient,
  rig: string,
  stateDir: string,
): Promise<{ providerId: string; token: string }> {
  const file = join(stateDir, 'owner.json')
  const kept = readKept(file)
  if (kept && (await client.resume(kept.apiKey))) return kept
  const owner = await client.enrolProvider(`${rig} owner`, rig)
  mkdirSync(stateDir, { recursive: true })
  writeFileSync(file, JSON.stringify({ ...owner, apiKey: client.key }), { mode: 0o600 })
  return owner
}

/** The credentials an earlier run kept; undefined when there are none or they cannot be read. */
function readKept(file: string): { apiKey: string; providerId: string; token: string } | undefined {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

async function runDemo() {
  const client = new DemoClient(`http://127.0.0.1:${ports.gateway}`)
  const customer = await client.signUp('Demo Render Studio', 100_000_000)
  line('customer', `${customer} signed up and deposited ${usd(100_000_000)}`)
  line('customer', `follow its jobs yourself: IDLEGRID_API_KEY=${client.key} pnpm idlegrid jobs`)
  line('customer', 'or start your own account: pnpm idlegrid signup "My Studio" (pnpm idlegrid --help)')
  const labels = new Map<string, string>()
  const seen = new Map<string, JobSnapshot>()
  let round = 0
  const submit = async (index: number) => {
    const job = demoJobs[index % demoJobs.length]!
    const res = await client.call<{ id: string; holdMicros: number; code?: string; detail?: string }>(
      'POST',
      '/v1/jobs',
      {
        maxDurationS: 120,
        ...job.spec,
      },
    )
    if (res.status !== 201) return line(job.label, `refused: ${res.body.code} ${res.body.detail ?? ''}`)
    labels.set(res.body.id, job.label)
    line(job.label, `submitted ${res.body.id}, ${usd(res.body.holdMicros)} held`)
  }
  for (let i = 0; i < demoJobs.length; i++) await submit(i)
  while (!stopping) {
    await new Promise((r) => setTimeout(r, 500))
    if (++round % 12 === 0) await submit(round / 12 + demoJobs.length - 1).catch(() => {})
    const jobs = await client
      .call<{ data: JobSnapshot[] }>('GET', '/v1/jobs?limit=50')
      .catch((err: Error) => {
        if (!stopping) line('customer', `the gateway did not answer: ${err.message}`)
        return undefined
      })
    for (const listed of jobs?.body.data ?? []) {
      // Listings leave a render job's chunks out; the job itself has them.
      const job =
        listed.spec?.render && !seen.get(listed.id)?.cost
          ? ((await client.call<JobSnapshot>('GET', `/v1/jobs/${listed.id}`).catch(() => undefined))?.body ??
            listed)
          : listed
      for (const text of describeChange(seen.get(job.id), job)) line(labels.get(job.id) ?? job.id, text)
      seen.set(job.id, job)
    }
  }
}

async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  line('cluster', `${signal}: stopping agents, then services`)
  await stopProcesses(agents)
  await stopProcesses(services)
  line('cluster', 'stopped')
  process.exit(0)
}

process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
try {
  await start()
  await runDemo()
} catch (err) {
  process.stderr.write(`\n${(err as Error).message}\n`)
  stopping = true
  await stopProcesses([...agents, ...services])
  process.exit(1)
}
