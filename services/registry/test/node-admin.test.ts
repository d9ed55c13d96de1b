import { type Kysely, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { dailyHoursAround, minuteFromNow, useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../src/context.js'
import { parseNodeCredential, verifyNodeCredential } from '../src/credentials.js'
import { turnHours } from '../src/db/node-hours.js'
import type { RegistryDb } from '../src/db/schema.js'
import type { RegistryService } from '../src/index.js'
import { clientOf, migrate, type RegistryClient, startRegistry } from './support/harness.js'

/**
 * The node-management RPCs on the real registry: Postgres, the outbox relay
 * to BullMQ and the Redis stream router.
 */
const env = useTestEnv()
let service: RegistryService
let ctx: AppContext
let client: RegistryClient
let db: Kysely<RegistryDb>

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env)
  ctx = service.context
  db = ctx.db
  client = clientOf(service)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

const enrol = (providerId: string, name = 'rig-amsterdam-1') =>
  callUnary(client, 'enrollNode', { providerId, name })

const statusOf = async (providerId: string, nodeId: string) => {
  const { nodes } = await callUnary(client, 'listProviderNodes', { providerId })
  return nodes.find((n) => n.nodeId === nodeId)
}

/** What the agent's register and heartbeats would leave behind, with one GPU taken. */
async function simulateConnected(nodeId: string) {
  await sql`insert into registry.node_heartbeats (node_id, at) values (${nodeId}, now())`.execute(db)
  await sql`update registry.nodes set liveness = 'connected',
    region = 'eu-west', country = 'NL', price_per_gpu_hour_micros = 450000 where id = ${nodeId}`.execute(db)
  await sql`insert into registry.gpus (node_id, index, model, vram_mib, uuid, compute_capability,
      driver_version, cuda_version, interconnect, assignment_id)
    values (${nodeId}, 0, 'RTX4090', 24576, 'GPU-a', '8.9', '550.54.15', '12.4', 'pcie', 'asg_x'),
           (${nodeId}, 1, 'RTX4090', 24576, 'GPU-b', '8.9', '550.54.15', '12.4', 'pcie', null)`.execute(db)
}

const capacityEvents = async (nodeId: string) =>
  (await waitingPayloads<{ nodeId: string; reason: string }>(env, 'capacity-changed')).filter(
    (p) => p.nodeId === nodeId,
  )

describe('enrolment', () => {
  it('returns a token once and stores only a 64-hex hash of its secret', async () => {
    const { nodeId, token } = await enrol('prov_alice')
    expect(nodeId).toMatch(/^node_[0-9a-z]{26}$/)
    expect(token).toMatch(/^node_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/)
    expect(token.startsWith(`${nodeId}.`)).toBe(true)

    const row = await db
      .withSchema('registry')
      .selectFrom('nodes')
      .selectAll()
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow()
    const { secret } = parseNodeCredential(`Bearer ${token}`)
    expect(row.credential_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(Object.values(row).map(String).join(' ')).not.toContain(secret)
    expect(row.enrolled).toBe(true)
    expect(row.provider_id).toBe('prov_alice')
    expect(() => verifyNodeCredential(secret, row)).not.toThrow()
  })

  it('lists a node that never connected as enrolled', async () => {
    const { nodeId } = await enrol('prov_list', 'rig-1')
    expect(await statusOf('prov_list', nodeId)).toMatchObject({
      nodeId,
      providerId: 'prov_list',
      name: 'rig-1',
      state: 'enrolled',
      pricePerGpuHourMicros: '0',
      gpus: [],
      gpusInUse: 0,
      lastHeartbeatAt: '',
      quarantineReason: '',
    })
  })

  it.each([
    [{ providerId: '', name: 'rig' }, 'providerId'],
    [{ providerId: 'prov alice', name: 'rig' }, 'providerId'],
    [{ providerId: 'p'.repeat(65), name: 'rig' }, 'providerId'],
    [{ providerId: 'prov_alice', name: '' }, 'name'],
    [{ providerId: 'prov_alice', name: '   ' }, 'name'],
    [{ providerId: 'prov_alice', name: 'x'.repeat(101) }, 'name'],
  ])('refuses %o naming %s', async (request, field) => {
    await expect(callUnary(client, 'enrollNode', request)).rejects.toMatchObject({
      kind: 'invalid_argument',
      field,
    })
  })
})

describe('a provider node list', () => {
  it('derives state from liveness, admin state and GPUs in use, with the full inventory', async () => {
    const { nodeId } = await enrol('prov_busy', 'rig-busy')
    await enrol('prov_other', 'not-mine')
    await simulateConnected(nodeId)
    const { nodes } = await callUnary(client, 'listProviderNodes', { providerId: 'prov_busy' })
    expect(nodes).toHaveLength(1)
    expect(nodes[0]).toMatchObject({
      nodeId,
      state: 'busy',
      region: 'eu-west',
      country: 'NL',
      pricePerGpuHourMicros: '450000',
      gpusInUse: 1,
      gpus: [
        {
          index: 0,
          model: 'RTX4090',
          vramMib: 24576,
          uuid: 'GPU-a',
          computeCapability: '8.9',
          driverVersion: '550.54.15',
          cudaVersion: '12.4',
          interconnect: 'pcie',
        },
        expect.objectContaining({ index: 1, uuid: 'GPU-b' }),
      ],
    })
    expect(new Date(nodes[0]!.lastHeartbeatAt).toISOString()).toBe(nodes[0]!.lastHeartbeatAt)
  })

  it('is empty for a provider without nodes and refuses an empty provider', async () => {
    expect((await callUnary(client, 'listProviderNodes', { providerId: 'prov_nobody' })).nodes).toEqual([])
    await expect(callUnary(client, 'listProviderNodes', { providerId: '' })).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'providerId',
    })
  })
})

describe('price', () => {
  it.each([['0'], ['-5'], ['1000000001']])(
    'refuses %s micros naming pricePerGpuHourMicros',
    async (price) => {
      const { nodeId } = await enrol('prov_price')
      await expect(
        callUnary(client, 'setNodePrice', {
          node: { providerId: 'prov_price', nodeId },
          pricePerGpuHourMicros: price,
        }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'pricePerGpuHourMicros' })
    },
  )

  it('reprices the node, not the work already placed on it, and tells matching', async () => {
    const { nodeId } = await enrol('prov_price')
    await simulateConnected(nodeId)
    await sql`insert into registry.assignments (id, job_id, node_id, gpu_indexes, spec, hold_id, customer_id,
        price_per_gpu_hour_micros, state, gang_id)
      values ('asg_x', 'job_x', ${nodeId}, '{0}', '{}', 'hold_x', 'acct_x', 450000, 'acked', 'asg_x')`.execute(
      db,
    )
    const status = await callUnary(client, 'setNodePrice', {
      node: { providerId: 'prov_price', nodeId },
      pricePerGpuHourMicros: '300000',
    })
    expect(status).toMatchObject({ nodeId, pricePerGpuHourMicros: '300000', state: 'busy' })
    const placed = await sql<{
      price: bigint
    }>`select price_per_gpu_hour_micros as price from registry.assignments where id = 'asg_x'`.execute(db)
    expect(placed.rows[0]!.price).toBe(450000n)
    expect(await waitFor(() => capacityEvents(nodeId).then((e) => e.length > 0 && e))).toEqual([
      { nodeId, reason: 'admin' },
    ])
  })
})

describe('hours', () => {
  const DAILY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const minute = minuteFromNow
  const daily = dailyHoursAround
  const listed = async (nodeId: string) =>
    (await callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion: '' })).nodes.find(
      (n) => n.nodeId === nodeId,
    )

  it('takes no new work outside its hours, opens when they begin (telling matching) and closes when they end', async () => {
    const { nodeId } = await enrol('prov_hours')
    await simulateConnected(nodeId)
    const closed = await callUnary(client, 'setNodeHours', {
      node: { providerId: 'prov_hours', nodeId },
      hours: daily(120, 180),
    })
    expect(closed).toMatchObject({ state: 'off_hours', hoursChangeAt: minute(120).toISOString() })
    expect(closed.hours).toMatchObject({ timezone: 'UTC', windows: [{ days: DAILY }] })
    expect(await listed(nodeId)).toMatchObject({ state: 'off_hours', openUntilMs: '0' })

    // The sweep at the window's start: in its hours until the end, and matching is told.
    expect((await turnHours(db, new Date(minute(120).getTime() + 1_000))).opened).toBeGreaterThanOrEqual(1)
    expect(await listed(nodeId)).toMatchObject({ state: 'busy', openUntilMs: String(minute(180).getTime()) })
    expect(await waitFor(() => capacityEvents(nodeId).then((e) => e.length > 0 && e))).toEqual([
      { nodeId, reason: 'hours' },
    ])
    expect((await statusOf('prov_hours', nodeId))?.hoursChangeAt).toBe(minute(180).toISOString())
    // And at its end, out of them again until the next day's start.
    await turnHours(db, new Date(minute(180).getTime() + 1_000))
    expect(await statusOf('prov_hours', nodeId)).toMatchObject({
      state: 'off_hours',
      hoursChangeAt: minute(120 + 24 * 60).toISOString(),
    })
  })

  it('is in its hours at once when they include now, and always available once they are cleared', async () => {
    const { nodeId } = await enrol('prov_hours_now')
    await simulateConnected(nodeId)
    const open = await callUnary(client, 'setNodeHours', {
      node: { providerId: 'prov_hours_now', nodeId },
      hours: daily(-60, 120),
    })
    expect(open).toMatchObject({ state: 'busy', hoursChangeAt: minute(120).toISOString() })
    expect(await waitFor(() => capacityEvents(nodeId).then((e) => e.length > 0 && e))).toEqual([
      { nodeId, reason: 'admin' },
    ])
    const always = await callUnary(client, 'setNodeHours', { node: { providerId: 'prov_hours_now', nodeId } })
    expect(always).toMatchObject({ state: 'busy', hours: null, hoursChangeAt: '' })
    expect(await listed(nodeId)).toMatchObject({ state: 'busy', openUntilMs: '0' })
  })

  it('refuses hours it cannot keep, and another provider’s node', async () => {
    const { nodeId } = await enrol('prov_hours_bad')
    await expect(
      callUnary(client, 'setNodeHours', {
        node: { providerId: 'prov_hours_bad', nodeId },
        hours: { ...daily(0, 60), timezone: 'Mars/Olympus' },
      }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'hours.timezone' })
    await expect(
      callUnary(client, 'setNodeHours', { node: { providerId: 'prov_other', nodeId }, hours: daily(0, 60) }),
    ).rejects.toMatchObject({ kind: 'not_found' })
  })
})

describe('draining', () => {
  it('drains and undrains; only the undrain tells matching', async () => {
    const { nodeId } = await enrol('prov_drain')
    await simulateConnected(nodeId)
    const ref = { providerId: 'prov_drain', nodeId }
    expect(await callUnary(client, 'setNodeDraining', { node: ref, draining: true })).toMatchObject({
      state: 'draining',
    })
    // Draining twice is a no-op.
    expect(await callUnary(client, 'setNodeDraining', { node: ref, draining: true })).toMatchObject({
      state: 'draining',
    })
    await ctx.events.outbox.flush()
    expect(await capacityEvents(nodeId)).toEqual([])
    expect(await callUnary(client, 'setNodeDraining', { node: ref, draining: false })).toMatchObject({
      state: 'busy',
    })
    await waitFor(() => capacityEvents(nodeId).then((e) => e.length === 1), { what: 'capacity-changed' })
  })

  it('refuses to drain or undrain a quarantined node', async () => {
    const { nodeId } = await enrol('prov_drain')
    await callUnary(client, 'setNodeQuarantine', { nodeId, quarantined: true, reason: 'fake GPUs' })
    for (const draining of [true, false]) {
      await expect(
        callUnary(client, 'setNodeDraining', { node: { providerId: 'prov_drain', nodeId }, draining }),
      ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'node_quarantined' })
    }
  })
})

describe('quarantine', () => {
  it('needs a reason', async () => {
    const { nodeId } = await enrol('prov_q')
    for (const reason of ['', '   ']) {
      await expect(
        callUnary(client, 'setNodeQuarantine', { nodeId, quarantined: true, reason }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'reason' })
    }
  })

  it('quarantines with the reason shown, and release returns the node to active and tells matching', async () => {
    const { nodeId } = await enrol('prov_q')
    await simulateConnected(nodeId)
    await callUnary(client, 'setNodeDraining', { node: { providerId: 'prov_q', nodeId }, draining: true })
    expect(
      await callUnary(client, 'setNodeQuarantine', { nodeId, quarantined: true, reason: 'failed GPU probe' }),
    ).toMatchObject({ state: 'quarantined', quarantineReason: 'failed GPU probe' })
    expect(await statusOf('prov_q', nodeId)).toMatchObject({ state: 'quarantined' })
    expect(
      await callUnary(client, 'setNodeQuarantine', { nodeId, quarantined: false, reason: '' }),
    ).toMatchObject({ state: 'busy', quarantineReason: '' })
    await waitFor(() => capacityEvents(nodeId).then((e) => e.length === 1), { what: 'capacity-changed' })
  })

  it('shows a quarantined node as quarantined even before it ever connected', async () => {
    const { nodeId } = await enrol('prov_q')
    expect(
      await callUnary(client, 'setNodeQuarantine', { nodeId, quarantined: true, reason: 'stolen token' }),
    ).toMatchObject({ state: 'quarantined' })
  })

  it('is NOT_FOUND for an unknown node', async () => {
    await expect(
      callUnary(client, 'setNodeQuarantine', {
        nodeId: 'node_00000000000000000000000000',
        quarantined: true,
        reason: 'x',
      }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'node_not_found' })
  })
})

describe('revocation', () => {
  it('marks the node revoked and ends its live stream with UNAUTHENTICATED', async () => {
    const { nodeId } = await enrol('prov_rev')
    await simulateConnected(nodeId)
    const ended = new Promise<{ code: number; details: string }>((resolve) => {
      ctx.sessions.attach({ nodeId, send: () => {}, end: () => {}, fail: resolve })
    })
    const status = await callUnary(client, 'revokeNodeCredential', { providerId: 'prov_rev', nodeId })
    expect(status).toMatchObject({ nodeId, state: 'revoked' })
    expect(await ended).toEqual({ code: 16, details: 'node credential revoked' })
    expect(await statusOf('prov_rev', nodeId)).toMatchObject({ state: 'revoked' })
    const row = await db
      .withSchema('registry')
      .selectFrom('nodes')
      .select('credential_revoked_at')
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow()
    expect(row.credential_revoked_at).toBeInstanceOf(Date)
  })

  it('lets an operator (no provider id) revoke any node', async () => {
    const { nodeId } = await enrol('prov_rev')
    expect(await callUnary(client, 'revokeNodeCredential', { providerId: '', nodeId })).toMatchObject({
      state: 'revoked',
    })
  })
})

describe('another provider', () => {
  it('gets NOT_FOUND on every RPC for a node it does not own, and changes nothing', async () => {
    const { nodeId } = await enrol('prov_owner')
    const node = { providerId: 'prov_intruder', nodeId }
    const attempts = [
      () => callUnary(client, 'revokeNodeCredential', node),
      () => callUnary(client, 'setNodePrice', { node, pricePerGpuHourMicros: '7' }),
      () => callUnary(client, 'setNodeDraining', { node, draining: true }),
      () => callUnary(client, 'setNodeDraining', { node, draining: false }),
    ]
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ kind: 'not_found', code: 'node_not_found' })
    }
    expect((await callUnary(client, 'listProviderNodes', { providerId: 'prov_intruder' })).nodes).toEqual([])
    expect(await statusOf('prov_owner', nodeId)).toMatchObject({
      state: 'enrolled',
      pricePerGpuHourMicros: '0',
    })
    const row = await db
      .withSchema('registry')
      .selectFrom('nodes')
      .select(['credential_revoked_at', 'admin_state'])
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ credential_revoked_at: null, admin_state: 'active' })
  })
})
