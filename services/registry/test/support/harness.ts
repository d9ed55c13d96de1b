import { createDb, migrateToLatest } from '@idlegrid/db'
import { callUnary, createClient, grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { AgentMessage, ControlMessage__Output } from '@idlegrid/proto/registry'
import { type TestEnv, testLogger, waitFor } from '@idlegrid/testkit'
import {
  createRegistryService,
  loadRegistryConfig,
  type RegistryService,
  registryMigrations,
} from '../../src/index.js'

const protos = loadProtos()
export type RegistryClient = InstanceType<typeof protos.idlegrid.registry.v1.RegistryService>

export async function migrate(env: TestEnv): Promise<void> {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, registryMigrations)
  await db.destroy()
}

/** A registry replica on free ports; `env` entries override the test defaults. */
export async function startRegistry(
  env: TestEnv,
  overrides: Record<string, string> = {},
): Promise<RegistryService> {
  const config = loadRegistryConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
    HEARTBEAT_INTERVAL_MS: '200',
    SWEEP_INTERVAL_MS: '100',
    HEARTBEAT_FLUSH_MS: '100',
    REDELIVER_AFTER_MS: '1000',
    ...overrides,
  })
  const service = createRegistryService(config, testLogger('registry'))
  await service.start()
  return service
}

export const clientOf = (service: RegistryService, credentials?: grpc.ChannelCredentials): RegistryClient =>
  credentials
    ? new protos.idlegrid.registry.v1.RegistryService(`127.0.0.1:${service.ports().grpc}`, credentials)
    : createClient(protos.idlegrid.registry.v1.RegistryService, `127.0.0.1:${service.ports().grpc}`)

export async function enroll(
  client: RegistryClient,
  providerId = 'prov_alice',
): Promise<{ nodeId: string; token: string }> {
  return callUnary(client, 'enrollNode', { providerId, name: `${providerId}-rig` })
}

/** A hand-driven agent stream: what the real agent does, one message at a time. */
export function openStream(client: RegistryClient, token: string | undefined) {
  const md = new grpc.Metadata()
  if (token) md.set('authorization', `Bearer ${token}`)
  const stream = client.connect(md)
  const received: ControlMessage__Output[] = []
  let status: grpc.StatusObject | undefined
  stream.on('data', (m: ControlMessage__Output) => received.push(m))
  stream.on('status', (s: grpc.StatusObject) => {
    status = s
  })
  stream.on('error', () => {})
  return {
    send: (m: AgentMessage) => stream.write(m),
    received,
    status: () => status,
    end: () => stream.end(),
    cancel: () => stream.cancel(),
    next: (body: string, after = 0) =>
      waitFor(() => received.slice(after).find((m) => m.body === body), { what: body, timeoutMs: 8_000 }),
    count: (body: string) => received.filter((m) => m.body === body).length,
    closedWith: () => waitFor(() => status, { what: 'stream status', timeoutMs: 8_000 }),
  }
}
export type TestStream = ReturnType<typeof openStream>

/** A valid registration (the node id and provider come from the credential). */
export const registration = (over: Record<string, unknown> = {}): AgentMessage => ({
  register: {
    inventory: {
      gpus: [
        {
          index: 0,
          model: 'RTX4090',
          vramMib: 24576,
          uuid: 'GPU-a',
          computeCapability: '8.9',
          interconnect: 'pcie',
        },
        {
          index: 1,
          model: 'RTX4090',
          vramMib: 24576,
          uuid: 'GPU-b',
          computeCapability: '8.9',
          interconnect: 'pcie',
        },
      ],
      cpuCores: 16,
      ramMib: '65536',
      hostname: 'rig-1',
      region: 'eu-west',
      country: 'NL',
      simulated: true,
    },
    pricePerGpuHourMicros: '450000',
    agentVersion: 'test',
    ...over,
  },
})

export const jobSpec = {
  kind: 'training',
  command: ['true'],
  env: {},
  gpus: { count: 1, models: [], minVramMib: 0 },
  maxPricePerGpuHourMicros: '1000000',
  maxDurationS: 60,
  currency: 'USD',
}

/** Enrols a node, connects it, waits for `registered`. */
export async function connectNode(client: RegistryClient, providerId = 'prov_alice') {
  const { nodeId, token } = await enroll(client, providerId)
  const agent = openStream(client, token)
  agent.send(registration())
  await agent.next('registered')
  return { nodeId, token, agent }
}

/** Places a single-node job: its one rank's assignment id is the placement's. */
export async function reserve(client: RegistryClient, nodeId: string, jobId: string, gpuIndexes = [0]) {
  const placed = await reserveGang(client, jobId, [{ nodeId, gpuIndexes }])
  return { ...placed.ranks[0]!, assignmentId: placed.gangId }
}

export const reserveGang = (
  client: RegistryClient,
  jobId: string,
  ranks: { nodeId: string; gpuIndexes: number[] }[],
  spec: Partial<typeof jobSpec> & {
    interruptible?: boolean
    priority?: string
    nodes?: number
    image?: string
  } = {},
) =>
  callUnary(client, 'reserveGpus', {
    jobId,
    ranks,
    spec: { ...jobSpec, ...spec },
    holdId: `hold_${jobId}`,
    customerId: 'acct_c',
  })
