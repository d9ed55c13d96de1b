import { createDb, migrateToLatest } from '@idlegrid/db'
import { callUnary, createClient, grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { AgentMessage, ControlMessage__Output } from '@idlegrid/proto/registry'
import { createLogger } from '@idlegrid/telemetry'
import { useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRegistryService,
  loadRegistryConfig,
  type RegistryService,
  registryMigrations,
} from '../src/index.js'

const env = useTestEnv()
let service: RegistryService
let address: string
const protos = loadProtos()
type RegistryClient = InstanceType<typeof protos.idlegrid.registry.v1.RegistryService>
let client: RegistryClient

beforeAll(async () => {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, registryMigrations)
  await db.destroy()
  const config = loadRegistryConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
  })
  service = createRegistryService(config, createLogger('registry', 'silent'))
  await service.start()
  address = `127.0.0.1:${service.ports().grpc}`
  client = createClient(protos.idlegrid.registry.v1.RegistryService, address)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

/** A hand-driven agent stream: what the real agent does, one message at a time. */
function openStream() {
  const stream = client.connect()
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
    next: (body: string) => waitFor(() => received.find((m) => m.body === body), { what: body }),
  }
}

const register = (over: Record<string, unknown> = {}) => ({
  register: {
    providerId: 'prov_alice',
    nodeId: '',
    inventory: {
      gpus: [
        { index: 0, model: 'RTX4090', vramMib: 24576, uuid: 'GPU-a' },
        { index: 1, model: 'RTX4090', vramMib: 24576, uuid: 'GPU-b' },
      ],
      cpuCores: 16,
      ramMib: '65536',
      hostname: 'rig-1',
      region: 'eu-west',
      simulated: true,
    },
    pricePerGpuHourMicros: '450000',
    agentVersion: 'test',
    ...over,
  },
})

const spec = {
  kind: 'training',
  command: ['true'],
  env: {},
  gpus: { count: 1, models: [], minVramMib: 0 },
  maxPricePerGpuHourMicros: '1000000',
  maxDurationS: 60,
  region: '',
  currency: 'USD',
}

describe('registry agent stream', () => {
  it('refuses an invalid inventory with INVALID_ARGUMENT naming the field', async () => {
    const agent = openStream()
    agent.send(
      register({
        inventory: {
          gpus: [{ index: 0, model: 'RTX4090', vramMib: 1, uuid: '' }],
          cpuCores: 4,
          hostname: 'h',
          region: 'eu-west',
        },
      }),
    )
    const status = await waitFor(() => agent.status(), { what: 'stream status' })
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain('inventory.gpus[0].vramMib')
  })

  it('refuses a stream whose first message is not a registration', async () => {
    const agent = openStream()
    agent.send({ heartbeat: { sequence: '1' } })
    const status = await waitFor(() => agent.status(), { what: 'stream status' })
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
  })

  it('registers, takes a reservation, reports, completes, and frees the GPUs', async () => {
    const agent = openStream()
    agent.send(register())
    const registered = await agent.next('registered')
    const nodeId = registered.registered!.nodeId
    expect(nodeId).toMatch(/^node_/)

    const listed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: true })
    expect(listed.nodes.find((n) => n.nodeId === nodeId)?.freeGpuIndexes).toEqual([0, 1])

    const reserved = await callUnary(client, 'reserveGpus', {
      jobId: 'job_one',
      nodeId,
      gpuIndexes: [1],
      spec,
      holdId: 'hold_one',
      customerId: 'acct_c',
    })
    expect(reserved.pricePerGpuHourMicros).toBe('450000')
    const assignment = (await agent.next('assignment')).assignment!
    expect(assignment).toMatchObject({
      jobId: 'job_one',
      gpuIndexes: [1],
      assignmentId: reserved.assignmentId,
    })

    // The same GPU cannot be reserved twice, and the same job cannot be placed twice.
    await expect(
      callUnary(client, 'reserveGpus', {
        jobId: 'job_two',
        nodeId,
        gpuIndexes: [1],
        spec,
        holdId: 'h2',
        customerId: 'acct_c',
      }),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'gpus_not_free' })
    await expect(
      callUnary(client, 'reserveGpus', {
        jobId: 'job_one',
        nodeId,
        gpuIndexes: [0],
        spec,
        holdId: 'h1',
        customerId: 'acct_c',
      }),
    ).rejects.toMatchObject({ kind: 'already_exists' })

    agent.send({ ack: { assignmentId: assignment.assignmentId } })
    agent.send({
      progress: {
        assignmentId: assignment.assignmentId,
        sequence: '1',
        elapsedMs: '500',
        logTail: 'epoch 1',
      },
    })
    agent.send({
      completion: {
        assignmentId: assignment.assignmentId,
        exitCode: 0,
        wallMs: '1500',
        gpuSeconds: '2',
        logTail: 'done',
      },
    })

    await waitFor(
      async () => {
        const nodes = await callUnary(client, 'listNodes', {})
        return nodes.nodes.find((n) => n.nodeId === nodeId)?.freeGpuIndexes.length === 2
      },
      { what: 'GPUs freed' },
    )

    // Settlement and job events left through the outbox onto BullMQ.
    const settlements = await waitFor(
      async () => {
        const waiting = await waitingPayloads(env, 'settle-job')
        return waiting.length > 0 ? waiting : undefined
      },
      { what: 'settle-job' },
    )
    expect(settlements[0]).toMatchObject({
      jobId: 'job_one',
      holdId: 'hold_one',
      providerId: 'prov_alice',
      gpuSeconds: 2,
      pricePerGpuHourMicros: '450000',
    })
    const types = await waitFor(
      async () => {
        const seen = (await waitingPayloads<{ jobId: string; type: string }>(env, 'job-event'))
          .filter((e) => e.jobId === 'job_one')
          .map((e) => e.type)
          .sort()
        return seen.length >= 4 ? seen : undefined
      },
      { what: 'job events' },
    )
    expect(types).toEqual(['completed', 'placed', 'progress', 'running'])
    agent.end()
  })

  it('refuses to bill more GPU-seconds than the run could deliver', async () => {
    const agent = openStream()
    agent.send(register())
    const nodeId = (await agent.next('registered')).registered!.nodeId
    const reserved = await callUnary(client, 'reserveGpus', {
      jobId: 'job_greedy',
      nodeId,
      gpuIndexes: [0],
      spec,
      holdId: 'h',
      customerId: 'c',
    })
    await agent.next('assignment')
    agent.send({
      completion: { assignmentId: reserved.assignmentId, exitCode: 0, wallMs: '1000', gpuSeconds: '99' },
    })
    const status = await waitFor(() => agent.status(), { what: 'stream status' })
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain('gpuSeconds')
  })

  it('redelivers an unacknowledged assignment when the agent reconnects as the same node', async () => {
    const first = openStream()
    first.send(register())
    const nodeId = (await first.next('registered')).registered!.nodeId
    first.cancel()
    await waitFor(
      async () => {
        const nodes = await callUnary(client, 'listNodes', {})
        return !nodes.nodes.some((n) => n.nodeId === nodeId)
      },
      { what: 'node offline' },
    )

    const second = openStream()
    second.send(register({ nodeId }))
    expect((await second.next('registered')).registered!.nodeId).toBe(nodeId)
    const reserved = await callUnary(client, 'reserveGpus', {
      jobId: 'job_re',
      nodeId,
      gpuIndexes: [0],
      spec,
      holdId: 'h',
      customerId: 'c',
    })
    await second.next('assignment')
    second.cancel()

    const third = openStream()
    third.send(register({ nodeId }))
    const again = await third.next('assignment')
    expect(again.assignment!.assignmentId).toBe(reserved.assignmentId)
    third.end()
  })

  it('will not let one provider resume another provider’s node', async () => {
    const owner = openStream()
    owner.send(register())
    const nodeId = (await owner.next('registered')).registered!.nodeId
    const thief = openStream()
    thief.send(register({ nodeId, providerId: 'prov_mallory' }))
    const status = await waitFor(() => thief.status(), { what: 'stream status' })
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)
    owner.end()
  })
})
