import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { callUnary, createClient, grpc } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { loadProtos } from '@idlegrid/proto'
import type { ControlMessage__Output } from '@idlegrid/proto/registry'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * A machine dies mid-job: the registry declares it lost after the grace, the
 * job is requeued with the seconds it delivered, runs again on another node,
 * and settlement pays both providers for what each delivered.
 */
const env = useTestEnv()
let cluster: Cluster
let apiKey: string
const agents: Agent[] = []
const registryClient = () =>
  createClient(loadProtos().idlegrid.registry.v1.RegistryService, cluster.registryAddress)

const api = async <T>(method: string, path: string, body?: unknown, key = apiKey) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return (await res.json()) as T
}

interface JobBody {
  id: string
  status: string
  nodeId: string | null
  requeues: number
  lostRunGpuSeconds: number
  elapsedMs: number | null
  gpuSeconds: number | null
  settledAt: string | null
  cost: { chargedMicros: number; providerMicros: number; feeMicros: number } | null
}

beforeAll(async () => {
  cluster = await startCluster(env, {
    registry: {
      HEARTBEAT_INTERVAL_MS: '200',
      // Short enough that the test sees a loss within seconds, long enough that a loaded machine's
      // pauses between two heartbeats 200 ms apart are not taken for one.
      SUSPECT_AFTER_MS: '1000',
      NODE_GRACE_MS: '3000',
      SWEEP_INTERVAL_MS: '100',
      HEARTBEAT_FLUSH_MS: '100',
    },
  })
  const signup = await api<{ apiKey: string }>('POST', '/v1/accounts', { name: 'Studio' }, 'none')
  apiKey = signup.apiKey
  await api('POST', '/v1/deposits', { amountMicros: 10_000_000 })
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
})

describe('a node lost mid-job', () => {
  it('requeues the job with what the lost run delivered, finishes it elsewhere, and pays both providers', async () => {
    // The doomed machine: a hand-driven agent stream that acks, reports 2.5 s of progress, then goes silent.
    const client = registryClient()
    const { nodeId: doomedNode, token } = await callUnary(client, 'enrollNode', {
      providerId: 'prov_doomed',
      name: 'doomed',
    })
    const metadata = new grpc.Metadata()
    metadata.set('authorization', `Bearer ${token}`)
    const stream = client.connect(metadata)
    const received: ControlMessage__Output[] = []
    stream.on('data', (m: ControlMessage__Output) => received.push(m))
    stream.on('error', () => {})
    stream.write({
      register: {
        inventory: {
          gpus: [{ index: 0, model: 'H100', vramMib: 81920, uuid: 'GPU-d' }],
          cpuCores: 8,
          ramMib: '65536',
          hostname: 'doomed',
          region: 'eu-west',
        },
        pricePerGpuHourMicros: '2000000',
        agentVersion: 'test',
      },
    })
    // Alive from the moment it registers until it has the work and its progress is on record, then
    // silent. Beating only once the job is submitted lost the node in a loaded CI run: the submission
    // took longer than the grace, so the node was declared lost before the job could reach it.
    let beat = 0
    let jobId = ''
    const heartbeats = setInterval(() => stream.write({ heartbeat: { sequence: String(++beat) } }), 200)
    try {
      await waitFor(() => received.find((m) => m.body === 'registered'), { what: 'registered' })

      const job = await api<JobBody>('POST', '/v1/jobs', {
        kind: 'training',
        command: ['node', '-e', 'setTimeout(() => {}, 1500)'],
        gpus: { count: 1, models: ['H100'] },
        maxDurationS: 60,
      })
      expect(job.id, JSON.stringify(job)).toMatch(/^job_/)
      jobId = job.id
      // Generous: on two cores shared with the rest of the suite, matching may take seconds to see the node.
      const assignment = await waitFor(() => received.find((m) => m.body === 'assignment'), {
        what: 'assignment',
        timeoutMs: 20_000,
      }).then((m) => m.assignment!)
      stream.write({ ack: { assignmentId: assignment.assignmentId, epoch: assignment.epoch } })
      stream.write({
        progress: {
          assignmentId: assignment.assignmentId,
          sequence: '1',
          elapsedMs: '2500',
          epoch: assignment.epoch,
        },
      })
      await waitFor(
        async () => ((await api<JobBody>('GET', `/v1/jobs/${jobId}`)).elapsedMs === 2500 ? true : undefined),
        { what: 'the progress on record', timeoutMs: 20_000 },
      )
    } finally {
      clearInterval(heartbeats)
    }

    // Silence: no heartbeats. After the grace the job is queued again, remembering 3 delivered GPU-seconds.
    const requeued = await waitFor(
      async () => {
        const j = await api<JobBody>('GET', `/v1/jobs/${jobId}`)
        return j.requeues === 1 ? j : undefined
      },
      { what: 'requeue', timeoutMs: 15_000 },
    )
    expect(requeued).toMatchObject({ status: 'queued', nodeId: null, lostRunGpuSeconds: 3 })

    // A healthy H100 node joins; the job runs there to the end.
    agents.push(
      await startAgent(cluster, {
        provider: 'prov_healthy',
        gpus: '1xH100:80',
        pricePerGpuHourMicros: '2500000',
      }),
    )
    const done = await waitFor(
      async () => {
        const j = await api<JobBody>('GET', `/v1/jobs/${jobId}`)
        return j.settledAt ? j : undefined
      },
      { what: 'settlement', timeoutMs: 15_000 },
    )
    expect(done.status).toBe('succeeded')
    expect(done.nodeId).not.toBe(doomedNode)
    // 3 s at 2.00 $/h (1666 micros) for the lost run + 2 s at 2.50 $/h (1388 micros) for the final one.
    expect(done.gpuSeconds).toBe(2)
    expect(done.cost?.chargedMicros).toBe(1666 + 1388)

    const doomedEarnings = await callUnary(
      createClient(loadProtos().idlegrid.billing.v1.BillingService, cluster.billingAddress),
      'getBalance',
      { ownerId: 'prov_doomed', currency: 'USD' },
    )
    expect(Number(doomedEarnings.earnedMicros)).toBe(1666 - Math.round((1666 * 500) / 10_000))
    stream.cancel()
    client.close()
  }, 90_000)
})

describe("a provider's webhook", () => {
  it('is told when one of its nodes comes online, is declared offline, and comes back; another provider is not', async () => {
    const received: { path: string; body: { id: string; type: string; data: Record<string, unknown> } }[] = []
    const receiver = createServer((req, res) => {
      let raw = ''
      req.on('data', (chunk) => {
        raw += chunk
      })
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(raw) })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
    try {
      const owner = await api<{ apiKey: string }>(
        'POST',
        '/v1/accounts',
        { name: 'Rigs', role: 'provider' },
        'none',
      )
      const other = await api<{ apiKey: string }>(
        'POST',
        '/v1/accounts',
        { name: 'Others', role: 'provider' },
        'none',
      )
      await api('POST', '/v1/webhooks', { url: `${hooks}/owner` }, owner.apiKey)
      await api('POST', '/v1/webhooks', { url: `${hooks}/other` }, other.apiKey)
      const { nodeId, token } = await api<{ nodeId: string; token: string }>(
        'POST',
        '/v1/nodes',
        { name: 'flaky-rig' },
        owner.apiKey,
      )
      // The rig connects, then its power goes: no more heartbeats.
      const connect = async () => {
        const metadata = new grpc.Metadata()
        metadata.set('authorization', `Bearer ${token}`)
        const stream = registryClient().connect(metadata)
        const control: ControlMessage__Output[] = []
        stream.on('data', (m: ControlMessage__Output) => control.push(m))
        stream.on('error', () => {})
        stream.write({
          register: {
            inventory: {
              gpus: [{ index: 0, model: 'L4', vramMib: 24576, uuid: 'GPU-flaky' }],
              cpuCores: 8,
              ramMib: '32768',
              hostname: 'flaky-rig',
              region: 'eu-west',
            },
            pricePerGpuHourMicros: '500000',
            agentVersion: 'test',
          },
        })
        await waitFor(() => control.find((m) => m.body === 'registered'), { what: 'registered' })
        return stream
      }
      const stream = await connect()
      const told = await waitFor(() => received.find((r) => r.body.type === 'node.offline'), {
        what: 'the node.offline webhook',
        timeoutMs: 20_000,
      })
      expect(told.path).toBe('/owner')
      expect(told.body).toMatchObject({ type: 'node.offline', data: { nodeId, runsRequeued: 0 } })
      expect(told.body.id).toMatch(/^evt_whe_/)
      expect(Date.parse(String(told.body.data.at))).toBeGreaterThan(0)
      expect(told.body.data).not.toHaveProperty('providerId')
      stream.cancel()
      // Power back: the rig connects again, and its provider hears that too.
      const again = await connect()
      await waitFor(() => received.filter((r) => r.body.type === 'node.online').length >= 2 || undefined, {
        what: 'the second node.online webhook',
        timeoutMs: 20_000,
      })
      expect(received.map((r) => [r.path, r.body.type, r.body.data.nodeId])).toEqual([
        ['/owner', 'node.online', nodeId],
        ['/owner', 'node.offline', nodeId],
        ['/owner', 'node.online', nodeId],
      ])
      again.cancel()
    } finally {
      receiver.closeAllConnections()
      await new Promise((resolve) => receiver.close(resolve))
    }
  })
})
