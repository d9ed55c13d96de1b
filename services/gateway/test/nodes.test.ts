import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createDb, migrateToLatest, sql } from '@idlegrid/db'
import {
  createRegistryService,
  loadRegistryConfig,
  type RegistryService,
  registryMigrations,
} from '@idlegrid/registry'
import { createLogger } from '@idlegrid/telemetry'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLoneGateways } from './lone-gateways.js'

/** Node management through the REST API, against a real registry over gRPC. */
const env = useTestEnv()
let registry: RegistryService
let gateways: Awaited<ReturnType<typeof startLoneGateways>>
let base: string

beforeAll(async () => {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, registryMigrations)
  await db.destroy()
  registry = createRegistryService(
    loadRegistryConfig({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.queuePrefix,
      HOST: '127.0.0.1',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
    }),
    createLogger('registry', 'silent'),
  )
  await registry.start()
  gateways = await startLoneGateways(env, 1, { REGISTRY_ADDRESS: `127.0.0.1:${registry.ports().grpc}` })
  base = gateways.bases[0]!
})
afterAll(async () => {
  await gateways?.stop()
  await registry?.stop()
})

interface NodeBody {
  id: string
  name: string
  state: string
  pricePerGpuHourMicros: number | null
  gpus: Record<string, unknown>[]
  gpusInUse: number
  lastHeartbeatAt: string | null
  quarantineReason: string | null
  code?: string
  field?: string
}

async function api<T = NodeBody>(method: string, path: string, key?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as T }
}

const signUp = async (role: 'provider' | 'customer', name = 'Rig owner') =>
  (await api<{ id: string; apiKey: string }>('POST', '/v1/accounts', undefined, { name, role })).body

const enrol = async (key: string, name = 'rig-amsterdam-1') =>
  (await api<{ nodeId: string; token: string; node: NodeBody }>('POST', '/v1/nodes', key, { name })).body

/** What the agent's register and first heartbeat leave in the registry. */
async function simulateConnected(nodeId: string) {
  const db = createDb<unknown>(env.databaseUrl)
  try {
    await sql`insert into registry.node_heartbeats (node_id, at) values (${nodeId}, now())`.execute(db)
    await sql`update registry.nodes set liveness = 'connected', region = 'eu-west',
      country = 'NL', price_per_gpu_hour_micros = 450000 where id = ${nodeId}`.execute(db)
    await sql`insert into registry.gpus (node_id, index, model, vram_mib, uuid, compute_capability,
        driver_version, cuda_version, interconnect)
      values (${nodeId}, 0, 'RTX4090', 24576, 'GPU-a', '8.9', '550.54.15', '12.4', 'pcie')`.execute(db)
  } finally {
    await db.destroy()
  }
}

/** The real `create-operator` command, run as its own process. */
async function createOperator(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'node_modules/.bin/tsx',
    ['src/create-operator.ts', 'Ops on call'],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, DATABASE_URL: env.databaseUrl },
    },
  )
  const key = /API key \(shown once, store it now\): (key_\S+)/.exec(stdout)?.[1]
  if (!key) throw new Error(`create-operator printed no key: ${stdout}`)
  return key
}

describe('a provider manages its nodes', () => {
  it('enrols a node and sees its credential once', async () => {
    const { apiKey } = await signUp('provider')
    const res = await api<{ nodeId: string; token: string; registryAddress: string | null; node: NodeBody }>(
      'POST',
      '/v1/nodes',
      apiKey,
      { name: 'rig-amsterdam-1' },
    )
    expect(res.status).toBe(201)
    // This gateway was not told where agents dial (AGENT_REGISTRY_ADDRESS), so it does not guess.
    expect(res.body.registryAddress).toBeNull()
    expect(res.headers.get('location')).toBe(`/v1/nodes/${res.body.nodeId}`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body.token).toMatch(/^node_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/)
    expect(res.body.token.startsWith(`${res.body.nodeId}.`)).toBe(true)
    expect(res.body.node).toEqual({
      id: res.body.nodeId,
      name: 'rig-amsterdam-1',
      state: 'enrolled',
      region: '',
      country: '',
      pricePerGpuHourMicros: null,
      gpus: [],
      gpusInUse: 0,
      lastHeartbeatAt: null,
      quarantineReason: null,
      hours: null,
      hoursChangeAt: null,
    })

    const listed = await api<{ data: NodeBody[] }>('GET', '/v1/nodes', apiKey)
    expect(listed.status).toBe(200)
    expect(listed.body.data.map((n) => n.id)).toEqual([res.body.nodeId])
    const one = await api('GET', `/v1/nodes/${res.body.nodeId}`, apiKey)
    expect(one.status).toBe(200)
    expect(one.body).not.toHaveProperty('token')
  })

  it('has no price until the agent reports one or the provider sets one', async () => {
    const { apiKey } = await signUp('provider')
    const { body } = await api<{ nodeId: string }>('POST', '/v1/nodes', apiKey, { name: 'rig-unpriced' })
    const path = `/v1/nodes/${body.nodeId}`
    expect((await api<NodeBody>('GET', path, apiKey)).body.pricePerGpuHourMicros).toBeNull()
    const priced = await api<NodeBody>('PATCH', path, apiKey, { pricePerGpuHourMicros: 450_000 })
    expect(priced.body).toMatchObject({ state: 'enrolled', pricePerGpuHourMicros: 450_000 })
    expect((await api<NodeBody>('GET', path, apiKey)).body.pricePerGpuHourMicros).toBe(450_000)
  })

  it('reprices, drains, undrains and revokes', async () => {
    const { apiKey } = await signUp('provider')
    const { nodeId } = await enrol(apiKey)
    await simulateConnected(nodeId)
    const path = `/v1/nodes/${nodeId}`

    const shown = await api('GET', path, apiKey)
    expect(shown.body).toMatchObject({ state: 'online', region: 'eu-west', country: 'NL', gpusInUse: 0 })
    expect(shown.body.gpus).toEqual([
      {
        index: 0,
        model: 'RTX4090',
        vramMib: 24576,
        computeCapability: '8.9',
        driverVersion: '550.54.15',
        cudaVersion: '12.4',
        interconnect: 'pcie',
      },
    ])
    expect(Date.parse(shown.body.lastHeartbeatAt!)).toBeGreaterThan(0)

    const repriced = await api('PATCH', path, apiKey, { pricePerGpuHourMicros: 390_000 })
    expect(repriced.status).toBe(200)
    expect(repriced.body.pricePerGpuHourMicros).toBe(390_000)

    expect((await api('POST', `${path}/drain`, apiKey)).body.state).toBe('draining')
    expect((await api('POST', `${path}/undrain`, apiKey)).body.state).toBe('online')

    const revoked = await api('POST', `${path}/revoke`, apiKey)
    expect(revoked.status).toBe(200)
    expect(revoked.body.state).toBe('revoked')
    expect((await api('GET', path, apiKey)).body.state).toBe('revoked')
  })

  it('refuses a price outside 1..1,000,000,000 micros', async () => {
    const { apiKey } = await signUp('provider')
    const { nodeId } = await enrol(apiKey)
    for (const price of [0, -1, 1_000_000_001, 1.5]) {
      const res = await api('PATCH', `/v1/nodes/${nodeId}`, apiKey, { pricePerGpuHourMicros: price })
      expect(res.status).toBe(400)
      expect(res.body.field).toBe('body.pricePerGpuHourMicros')
    }
  })

  it.each([
    ['POST', '/v1/nodes', { name: 'rig', pricePerGpuHourMicros: 1 }, 'body.pricePerGpuHourMicros'],
    ['PATCH', '/v1/nodes/:id', { pricePerGpuHourMicros: 1, state: 'online' }, 'body.state'],
    ['POST', '/v1/nodes', { name: '   ' }, 'body.name'],
    ['POST', '/v1/nodes', {}, 'body.name'],
  ])('%s %s with %o is 400 naming %s', async (method, path, body, field) => {
    const { apiKey } = await signUp('provider')
    const { nodeId } = await enrol(apiKey)
    const res = await api(method, path.replace(':id', nodeId), apiKey, body)
    expect(res.status).toBe(400)
    expect(res.body.field).toBe(field)
  })
})

const providerRoutes = (nodeId: string): [string, string, unknown?][] => [
  ['GET', `/v1/nodes/${nodeId}`],
  ['PATCH', `/v1/nodes/${nodeId}`, { pricePerGpuHourMicros: 1 }],
  ['POST', `/v1/nodes/${nodeId}/drain`],
  ['POST', `/v1/nodes/${nodeId}/undrain`],
  ['POST', `/v1/nodes/${nodeId}/revoke`],
]

describe('who may do what', () => {
  it('gives a second provider 404 on every route for a node it does not own, and changes nothing', async () => {
    const owner = await signUp('provider', 'Owner')
    const intruder = await signUp('provider', 'Intruder')
    const { nodeId } = await enrol(owner.apiKey)
    for (const [method, path, body] of providerRoutes(nodeId)) {
      const res = await api(method, path, intruder.apiKey, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body.code).toBe('node_not_found')
    }
    expect((await api<{ data: NodeBody[] }>('GET', '/v1/nodes', intruder.apiKey)).body.data).toEqual([])
    expect((await api('GET', `/v1/nodes/${nodeId}`, owner.apiKey)).body.state).toBe('enrolled')
  })

  it('refuses customers with 403 providers_only', async () => {
    const owner = await signUp('provider')
    const customer = await signUp('customer')
    const { nodeId } = await enrol(owner.apiKey)
    const routes = [['POST', '/v1/nodes', { name: 'rig' }], ['GET', '/v1/nodes'], ...providerRoutes(nodeId)]
    for (const [method, path, body] of routes as [string, string, unknown?][]) {
      const res = await api(method, path, customer.apiKey, body)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.code).toBe('providers_only')
    }
  })

  it('asks for an API key', async () => {
    expect((await api('GET', '/v1/nodes')).status).toBe(401)
  })

  it('keeps quarantine to operators, who need a reason', async () => {
    const owner = await signUp('provider')
    const { nodeId } = await enrol(owner.apiKey)
    await simulateConnected(nodeId)
    const quarantine = `/v1/operator/nodes/${nodeId}/quarantine`
    const refused = await api('POST', quarantine, owner.apiKey, { reason: 'mine' })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('operators_only')

    const operator = await createOperator()
    expect((await api('POST', quarantine, operator, {})).body.field).toBe('body.reason')
    expect((await api('POST', quarantine, operator, { reason: 'x', until: 'never' })).body.field).toBe(
      'body.until',
    )

    const held = await api('POST', quarantine, operator, { reason: 'GPU probe failed' })
    expect(held.status).toBe(200)
    expect(held.body).toMatchObject({ state: 'quarantined', quarantineReason: 'GPU probe failed' })
    // The provider sees it, and cannot drain its way around it.
    expect((await api('GET', `/v1/nodes/${nodeId}`, owner.apiKey)).body.state).toBe('quarantined')
    const drain = await api('POST', `/v1/nodes/${nodeId}/drain`, owner.apiKey)
    expect(drain.status).toBe(409)
    expect(drain.body.code).toBe('node_quarantined')

    const released = await api('POST', `/v1/operator/nodes/${nodeId}/release`, operator)
    expect(released.body).toMatchObject({ state: 'online', quarantineReason: null })
    expect(
      (await api('POST', '/v1/operator/nodes/node_00000000000000000000000000/release', operator)).status,
    ).toBe(404)
    expect((await api('POST', '/v1/nodes', operator, { name: 'rig' })).status).toBe(403)
  })
})

describe('the API around nodes', () => {
  it('documents the node and operator routes', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>
      components: { schemas: Record<string, unknown> }
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/nodes',
        '/v1/nodes/{id}',
        '/v1/nodes/{id}/drain',
        '/v1/nodes/{id}/undrain',
        '/v1/nodes/{id}/revoke',
        '/v1/operator/nodes/{id}/quarantine',
        '/v1/operator/nodes/{id}/release',
      ]),
    )
    expect(doc.paths['/v1/nodes']!.post!.tags).toEqual(['nodes'])
    expect(doc.paths['/v1/operator/nodes/{id}/release']!.post!.tags).toEqual(['operator'])
    expect(Object.keys(doc.components.schemas)).toContain('Node')
  })

  it('reports the registry in readiness', async () => {
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: Record<string, boolean> }
    expect(ready.checks.registry).toBe(true)
  })
})
