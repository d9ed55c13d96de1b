import { callUnary, grpc } from '@idlegrid/grpc'
import { dailyHoursAround, useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  enroll,
  migrate,
  openStream,
  type RegistryClient,
  registration,
  reserve,
  reserveGang,
  startRegistry,
} from './support/harness.js'

const env = useTestEnv()
let service: RegistryService
let client: RegistryClient

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env)
  client = clientOf(service)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

describe('agent stream: registration and identity', () => {
  it('refuses an invalid inventory with INVALID_ARGUMENT naming the field', async () => {
    const { token } = await enroll(client)
    const agent = openStream(client, token)
    agent.send(
      registration({
        inventory: {
          gpus: [{ index: 0, model: 'RTX4090', vramMib: 1, uuid: '' }],
          cpuCores: 4,
          hostname: 'h',
          region: 'eu-west',
        },
      }),
    )
    const status = await agent.closedWith()
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain('inventory.gpus[0].vramMib')
  })

  it.each([
    ['a bad country code', { country: 'Netherlands' }, 'inventory.country'],
    [
      'an unknown interconnect',
      { gpus: [{ index: 0, model: 'A100', vramMib: 81920, interconnect: 'usb' }] },
      'inventory.gpus[0].interconnect',
    ],
  ])('refuses %s naming %s', async (_name, change, field) => {
    const { token } = await enroll(client)
    const agent = openStream(client, token)
    const base = registration().register!.inventory!
    agent.send(registration({ inventory: { ...base, ...change } }))
    const status = await agent.closedWith()
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain(field)
  })

  it('lists a GPU by its marketplace name whatever name the agent reported for it', async () => {
    const { nodeId, token } = await enroll(client)
    const agent = openStream(client, token)
    const base = registration().register!.inventory!
    const gpus = [
      { index: 0, model: 'NVIDIA GeForce RTX 4090', vramMib: 24576, uuid: 'GPU-x', interconnect: 'pcie' },
      { index: 1, model: 'rtx4090', vramMib: 24576, uuid: 'GPU-y', interconnect: 'pcie' },
    ]
    agent.send(registration({ inventory: { ...base, gpus } }))
    await agent.next('registered')
    const listed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion: '' })
    expect(listed.nodes.find((n) => n.nodeId === nodeId)?.gpus.map((g) => g.model)).toEqual([
      'RTX4090',
      'RTX4090',
    ])
    agent.cancel()
  })

  it('refuses a stream whose first message is not a registration', async () => {
    const { token } = await enroll(client)
    const agent = openStream(client, token)
    agent.send({ heartbeat: { sequence: '1' } })
    expect((await agent.closedWith()).code).toBe(grpc.status.INVALID_ARGUMENT)
  })

  it.each([
    ['no credential', undefined],
    ['a malformed credential', 'not-a-token'],
    ['a wrong secret', 'node_0000000000000000000000000a.wrongwrongwrongwrongwrongwrongwrongwrong'],
  ])('refuses a stream with %s (UNAUTHENTICATED)', async (_name, token) => {
    const agent = openStream(client, token)
    agent.send(registration())
    expect((await agent.closedWith()).code).toBe(grpc.status.UNAUTHENTICATED)
  })

  it('will not let node A’s credential speak for node B', async () => {
    const b = await connectNode(client, 'prov_bob')
    const { token: tokenA } = await enroll(client, 'prov_alice')
    const impostor = openStream(client, tokenA)
    impostor.send(registration({ nodeId: b.nodeId }))
    const status = await impostor.closedWith()
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED)

    // Nor report on B's work from A's own stream.
    const a = await connectNode(client, 'prov_alice')
    const run = await reserve(client, b.nodeId, 'job_b_only')
    a.agent.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: 0,
        wallMs: '1000',
        gpuSeconds: '1',
        epoch: '1',
      },
    })
    expect((await a.agent.closedWith()).code).toBe(grpc.status.NOT_FOUND)
    b.agent.end()
  })

  it('refuses a revoked credential, and ends its live stream at once', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    await callUnary(client, 'revokeNodeCredential', { providerId: 'prov_alice', nodeId })
    expect((await agent.closedWith()).code).toBe(grpc.status.UNAUTHENTICATED)
    const again = openStream(client, token)
    again.send(registration())
    const status = await again.closedWith()
    expect(status.code).toBe(grpc.status.UNAUTHENTICATED)
    expect(status.details).toContain('revoked')
  })
})

describe("reservations within a provider's hours", () => {
  const daily = dailyHoursAround

  it('refuses a node outside its hours, and one whose hours close before the job could end', async () => {
    const { nodeId } = await connectNode(client, 'prov_hours')
    const node = { providerId: 'prov_hours', nodeId }
    await callUnary(client, 'setNodeHours', { node, hours: daily(120, 180) })
    // Whatever matching's view says: the reservation is the truth.
    await expect(reserveGang(client, 'job_hours_1', [{ nodeId, gpuIndexes: [0] }])).rejects.toThrow(
      `node ${nodeId} takes no new work`,
    )
    await callUnary(client, 'setNodeHours', { node, hours: daily(-60, 60) })
    await expect(
      reserveGang(client, 'job_hours_2', [{ nodeId, gpuIndexes: [0] }], { maxDurationS: 2 * 3600 }),
    ).rejects.toMatchObject({
      code: 'gpus_not_free',
      message: expect.stringContaining("closes (its provider's hours)"),
    })
    const placed = await reserveGang(client, 'job_hours_3', [{ nodeId, gpuIndexes: [0] }], {
      maxDurationS: 600,
    })
    expect(placed.ranks).toHaveLength(1)
  })
})

describe('agent stream: a run from reservation to settlement', () => {
  it('delivers the run with its epoch, takes reports, frees the GPUs and asks billing to settle', async () => {
    const { nodeId, agent } = await connectNode(client)
    const listed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: true })
    expect(listed.nodes.find((n) => n.nodeId === nodeId)).toMatchObject({
      freeGpuIndexes: [0, 1],
      state: 'online',
      country: 'NL',
    })

    const run = await reserve(client, nodeId, 'job_one', [1])
    const assignment = (await agent.next('assignment')).assignment!
    expect(assignment).toMatchObject({
      jobId: 'job_one',
      gpuIndexes: [1],
      assignmentId: run.assignmentId,
      epoch: '1',
    })
    const busy = await callUnary(client, 'listNodes', {})
    expect(busy.nodes.find((n) => n.nodeId === nodeId)?.state).toBe('busy')

    await expect(reserve(client, nodeId, 'job_two', [1])).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'gpus_not_free',
    })
    await expect(reserve(client, nodeId, 'job_one', [0])).rejects.toMatchObject({ kind: 'already_exists' })

    const epoch = '1'
    agent.send({ ack: { assignmentId: run.assignmentId, epoch } })
    agent.send({
      progress: {
        assignmentId: run.assignmentId,
        sequence: '1',
        elapsedMs: '500',
        logTail: 'epoch 1',
        epoch,
      },
    })
    agent.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: 0,
        wallMs: '1500',
        gpuSeconds: '2',
        logTail: 'done',
        epoch,
      },
    })

    await waitFor(
      async () => {
        const nodes = await callUnary(client, 'listNodes', {})
        return nodes.nodes.find((n) => n.nodeId === nodeId)?.freeGpuIndexes.length === 2
      },
      { what: 'GPUs freed' },
    )
    // One finished run: the node's reputation rises from 1/2 to 2/3.
    const after = await callUnary(client, 'listNodes', {})
    expect(after.nodes.find((n) => n.nodeId === nodeId)?.reputation).toBeCloseTo(2 / 3, 6)
    const settlements = await waitFor(
      async () => {
        const waiting = await waitingPayloads(env, 'settle-job')
        return waiting.find((s) => s.jobId === 'job_one')
      },
      { what: 'settle-job' },
    )
    expect(settlements).toMatchObject({
      holdId: 'hold_job_one',
      assignmentId: run.assignmentId,
      finalRuns: [
        {
          assignmentId: run.assignmentId,
          providerId: 'prov_alice',
          gpuSeconds: 2,
          pricePerGpuHourMicros: '450000',
        },
      ],
      earlierRuns: [],
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

  it('credits a node once per run when its completions arrive together, warming the newest image first', async () => {
    const { nodeId, agent } = await connectNode(client)
    const first = await reserveGang(client, 'job_warm_a', [{ nodeId, gpuIndexes: [0] }], { image: 'img/a:1' })
    const second = await reserveGang(client, 'job_warm_b', [{ nodeId, gpuIndexes: [1] }], {
      image: 'img/b:1',
    })
    const delivered = await waitFor(
      () => {
        const ids = new Set(agent.received.flatMap((m) => m.assignment?.assignmentId ?? []))
        return ids.size >= 2 ? ids : undefined
      },
      { what: 'both assignments' },
    )
    expect([...delivered].sort()).toEqual([first.gangId, second.gangId].sort())
    for (const run of [first, second]) agent.send({ ack: { assignmentId: run.gangId, epoch: '1' } })
    // Sent back to back, the two completions land in one batch (the reports linger for company).
    for (const run of [first, second])
      agent.send({
        completion: { assignmentId: run.gangId, exitCode: 0, wallMs: '1000', gpuSeconds: '1', epoch: '1' },
      })
    const node = await waitFor(
      async () => {
        const listed = (await callUnary(client, 'listNodes', {})).nodes.find((n) => n.nodeId === nodeId)
        return listed?.freeGpuIndexes.length === 2 ? listed : undefined
      },
      { what: 'both runs finished' },
    )
    // Two finished runs: reputation from 1/2 to 3/4; the image of the later completion first.
    expect(node.reputation).toBeCloseTo(3 / 4, 6)
    expect(node.recentImages).toEqual(['img/b:1', 'img/a:1'])
    const settled = await waitFor(
      async () => {
        const jobs = (await waitingPayloads<{ jobId: string }>(env, 'settle-job')).filter((p) =>
          p.jobId.startsWith('job_warm_'),
        )
        return jobs.length === 2 ? jobs : undefined
      },
      { what: 'two settlements' },
    )
    expect(settled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          jobId: 'job_warm_a',
          finalRuns: [expect.objectContaining({ assignmentId: first.gangId, providerId: 'prov_alice' })],
        }),
        expect.objectContaining({
          jobId: 'job_warm_b',
          finalRuns: [expect.objectContaining({ assignmentId: second.gangId, providerId: 'prov_alice' })],
        }),
      ]),
    )
    agent.end()
  })

  it('refuses to bill more GPU-seconds than the run could deliver', async () => {
    const { nodeId, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_greedy')
    await agent.next('assignment')
    agent.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: 0,
        wallMs: '1000',
        gpuSeconds: '99',
        epoch: '1',
      },
    })
    const status = await agent.closedWith()
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(status.details).toContain('gpuSeconds')
  })

  it('redelivers an unacknowledged run, both on reconnect and while the agent stays silent about it', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_unacked')
    await agent.next('assignment')
    agent.cancel()

    const again = openStream(client, token)
    again.send(registration())
    expect((await again.next('assignment')).assignment!.assignmentId).toBe(run.assignmentId)
    // No ack: the sweep sends it once more after REDELIVER_AFTER_MS.
    await waitFor(() => again.count('assignment') >= 2, { what: 'second delivery', timeoutMs: 15_000 })
    again.end()
  })

  it('does not place work on a draining node, and does again after undrain', async () => {
    const { nodeId, agent } = await connectNode(client)
    await callUnary(client, 'setNodeDraining', { node: { providerId: 'prov_alice', nodeId }, draining: true })
    await expect(reserve(client, nodeId, 'job_drained')).rejects.toMatchObject({ code: 'gpus_not_free' })
    const listed = await callUnary(client, 'listNodes', {})
    expect(listed.nodes.find((n) => n.nodeId === nodeId)?.state).toBe('draining')
    await callUnary(client, 'setNodeDraining', {
      node: { providerId: 'prov_alice', nodeId },
      draining: false,
    })
    await expect(reserve(client, nodeId, 'job_drained')).resolves.toMatchObject({
      assignmentId: expect.stringMatching(/^asg_/),
    })
    agent.end()
  })
})
