import { execFile } from 'node:child_process'
import { parseArgs } from 'node:util'
import {
  type Agent,
  type ContainerTool,
  createAgent,
  microsToUsd,
  parseSimulatedGpus,
} from '@idlegrid/node-agent'
import { createLogger } from '@idlegrid/telemetry'
import { line } from './cluster/report.js'
import { generateFleet, summariseFleet } from './fleet/fleet-spec.js'
import { enrollNodes, registryClient } from './fleet/registry-client.js'

/**
 * `pnpm sim:fleet --nodes N`: a heterogeneous fleet of simulated GPU nodes on
 * one running registry. Each node is enrolled through EnrollNode (the trusted
 * call the gateway makes for a provider) and then runs a real node agent in
 * this process: its own gRPC stream, heartbeats, and jobs sent to it really
 * run as processes. Only the GPUs are simulated. Ctrl-C stops every agent
 * (running jobs are killed and reported) and exits.
 */
const usageText = `Usage: pnpm sim:fleet --nodes N [--seed S] [--registry host:port] [--provider-prefix p]
                      [--container-runtime none|docker|podman] [--log-level warn]

  --nodes              how many simulated nodes (1-5000)
  --seed               fleet seed; the same seed gives the same fleet (default 1)
  --registry           registry gRPC address (default 127.0.0.1:50051, as pnpm cluster starts it)
  --provider-prefix    provider ids start with it (default prov_sim)
  --container-runtime  how jobs with an image run (default none: such jobs are refused)
  --log-level          the agents' log level, JSON on stderr (default warn)
`
const MAX_NODES = 5000
const START_BATCH = 50
const REGISTER_WAIT_MS = 60_000
const STOP_TIMEOUT_MS = 30_000

function fail(message: string): never {
  process.stderr.write(`sim:fleet: ${message}\n\n${usageText}`)
  process.exit(2)
}

function options() {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      options: {
        nodes: { type: 'string' },
        seed: { type: 'string', default: '1' },
        registry: { type: 'string', default: '127.0.0.1:50051' },
        'provider-prefix': { type: 'string', default: 'prov_sim' },
        'container-runtime': { type: 'string', default: 'none' },
        'log-level': { type: 'string', default: 'warn' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) {
    process.stdout.write(usageText)
    process.exit(0)
  }
  const int = (flag: string, max: number) => {
    const raw = values[flag]
    if (raw === undefined) fail(`--${flag} is required`)
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 0 || n > max) fail(`--${flag} must be an integer from 0 to ${max}`)
    return n
  }
  const nodes = int('nodes', MAX_NODES)
  if (nodes < 1) fail('--nodes must be at least 1')
  const runtime = String(values['container-runtime'])
  if (!['none', 'docker', 'podman'].includes(runtime))
    fail('--container-runtime must be none, docker or podman')
  const registry = String(values.registry)
  if (!/^[^\s:]+:\d{1,5}$/.test(registry)) fail('--registry must be host:port')
  return {
    nodes,
    seed: int('seed', 0xffffffff),
    registry,
    providerPrefix: String(values['provider-prefix']),
    containerRuntime: runtime as 'none' | ContainerTool,
    logLevel: String(values['log-level']),
  }
}

/** One probe for the whole fleet instead of one `docker info` per agent. */
async function probeRuntime(tool: 'none' | ContainerTool): Promise<ContainerTool | undefined> {
  if (tool === 'none') return undefined
  const works = await new Promise<boolean>((resolve) =>
    execFile(tool, ['info'], { timeout: 10_000 }, (err) => resolve(!err)),
  )
  if (!works) line('sim-fleet', `"${tool} info" failed: jobs with a container image will likely fail`)
  return tool
}

const opts = options()
let fleet: ReturnType<typeof generateFleet>
try {
  fleet = generateFleet({ nodes: opts.nodes, seed: opts.seed, providerPrefix: opts.providerPrefix })
} catch (err) {
  fail((err as Error).message)
}
const summary = summariseFleet(fleet)
const logger = createLogger('sim-fleet', opts.logLevel)
const client = registryClient(opts.registry)
const agents: Agent[] = []
let stopping = false
let registeredCount = 0
const started = Date.now()

async function shutdown(signal: string) {
  if (stopping) {
    line('sim-fleet', `${signal} again: exiting without waiting`)
    process.exit(130)
  }
  stopping = true
  line('sim-fleet', `${signal}: stopping ${agents.length} agents (running jobs are killed and reported)`)
  const timer = setTimeout(() => {
    line('sim-fleet', `agents did not stop within ${STOP_TIMEOUT_MS} ms; exiting`)
    process.exit(1)
  }, STOP_TIMEOUT_MS)
  timer.unref()
  const results = await Promise.allSettled(agents.map((agent) => agent.stop()))
  const failed = results.filter((r) => r.status === 'rejected').length
  client.close()
  line('sim-fleet', failed ? `stopped; ${failed} agents failed to stop cleanly` : 'stopped')
  process.exit(failed ? 1 : 0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

line(
  'sim-fleet',
  `${summary.nodes} nodes, ${summary.gpus} GPUs, ${summary.providers} providers (seed ${opts.seed}) → registry ${opts.registry}`,
)
const enrolled = await enrollNodes(client, fleet, { concurrency: 16 }).catch((err: Error) => {
  line('sim-fleet', `enrolment failed: ${err.message}`)
  line(
    'sim-fleet',
    `is a registry listening on ${opts.registry}? (pnpm cluster starts one on 127.0.0.1:50051)`,
  )
  process.exit(1)
})
line('sim-fleet', `enrolled ${enrolled.length} nodes in ${Date.now() - started} ms; starting agents`)

const runtime = await probeRuntime(opts.containerRuntime)
let everyoneRegistered = () => {}
const allRegistered = new Promise<void>((resolve) => {
  everyoneRegistered = resolve
})
for (let start = 0; start < fleet.length && !stopping; start += START_BATCH) {
  const batch = fleet.slice(start, start + START_BATCH)
  await Promise.all(
    batch.map(async (node, offset) => {
      const { nodeId, token } = enrolled[start + offset]!
      const label = node.name
      const agent = createAgent(
        {
          registry: opts.registry,
          token,
          providerId: node.providerId,
          region: node.region,
          country: node.country,
          pricePerGpuHourMicros: node.pricePerGpuHourMicros,
          nodeName: node.name,
          simulateGpus: parseSimulatedGpus(node.gpus),
          containerRuntime: opts.containerRuntime,
        },
        // One logger for the fleet; a child only adds the node's name to each line.
        { logger: logger.child({ node: node.name }), containerRuntime: async () => runtime },
      )
      let first = true
      agent.events.on('registered', ({ reconnected }) => {
        if (first) {
          first = false
          line(
            label,
            `${nodeId} ${node.gpus.replace(':', ' ')} GB in ${node.region}/${node.country} at ` +
              `$${microsToUsd(node.pricePerGpuHourMicros)}/GPU-hour for ${node.providerId}`,
          )
          if (++registeredCount === fleet.length) everyoneRegistered()
        } else if (reconnected) line(label, 'reconnected')
      })
      agent.events.on('disconnected', ({ reason }) => {
        if (!stopping) line(label, `disconnected: ${reason}`)
      })
      agent.events.on('assignment', (a) =>
        line(label, `assignment ${a.assignmentId} (job ${a.jobId}) on GPUs [${a.gpuIndexes.join(',')}]`),
      )
      agent.events.on('completed', (c) =>
        line(
          label,
          `${c.assignmentId} ${c.exitCode === 0 ? 'succeeded' : `ended with exit ${c.exitCode}`} after ` +
            `${c.wallMs} ms, ${c.gpuSeconds} GPU-seconds${c.error ? ` (${c.error})` : ''}`,
        ),
      )
      agents.push(agent)
      await agent.start()
    }),
  )
}

const timeout = setTimeout(everyoneRegistered, REGISTER_WAIT_MS)
await allRegistered
clearTimeout(timeout)
if (!stopping) {
  const byModel = Object.entries(summary.gpusByModel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, gpus]) => `${model}×${gpus}`)
    .join(' ')
  const byRegion = Object.entries(summary.nodesByRegion)
    .map(([region, nodes]) => `${region} ${nodes}`)
    .join(', ')
  line(
    'sim-fleet',
    `${registeredCount}/${fleet.length} agents registered in ${Date.now() - started} ms` +
      (registeredCount < fleet.length ? ` (the rest did not register within ${REGISTER_WAIT_MS} ms)` : ''),
  )
  line('sim-fleet', `GPUs: ${byModel}`)
  line('sim-fleet', `nodes by region: ${byRegion}`)
  line(
    'sim-fleet',
    `${summary.providers} providers; the largest, ${summary.largestProvider.providerId}, owns ` +
      `${summary.largestProvider.nodes} nodes`,
  )
  line(
    'sim-fleet',
    `memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS; Ctrl-C stops every agent`,
  )
}
