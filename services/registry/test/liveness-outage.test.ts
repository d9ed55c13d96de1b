import { callUnary } from '@idlegrid/grpc'
import { type OutageProxy, startOutageProxy, throughProxy, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  migrate,
  type openStream,
  type RegistryClient,
  startRegistry,
} from './support/harness.js'

/**
 * Postgres away for longer than the grace: no heartbeat could be written
 * meanwhile, so every node's stamp is old once it is back, though every
 * agent kept heartbeating. Judged on those stamps, the whole fleet would be
 * declared lost and every running job requeued. Short clocks: heartbeats
 * every 200 ms, suspect after 1 s, lost after 2 s; the outage lasts 4 s.
 */
const GRACE_MS = 2_000
const env = useTestEnv()
let proxy: OutageProxy
let service: RegistryService
let client: RegistryClient

beforeAll(async () => {
  await migrate(env)
  proxy = await startOutageProxy(env.databaseUrl)
  service = await startRegistry(
    { ...env, databaseUrl: throughProxy(env.databaseUrl, proxy) },
    { SUSPECT_AFTER_MS: '1000', NODE_GRACE_MS: String(GRACE_MS) },
  )
  client = clientOf(service)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
  await proxy?.close()
})

const stateOf = async (nodeId: string) =>
  (await callUnary(client, 'listProviderNodes', { providerId: 'prov_alice' })).nodes.find(
    (n) => n.nodeId === nodeId,
  )?.state

/** Heartbeats every 200 ms from `offsetMs` on: a fleet's agents are not in step, so a flush holds only some. */
function heartbeat(agent: ReturnType<typeof openStream>, offsetMs: number) {
  let sequence = 0
  let timer: NodeJS.Timeout | undefined
  const start = setTimeout(() => {
    timer = setInterval(() => agent.send({ heartbeat: { sequence: String(++sequence) } }), 200)
  }, offsetMs)
  return () => {
    clearTimeout(start)
    clearInterval(timer)
  }
}

describe('node liveness across a Postgres outage', () => {
  it('loses none of the nodes that kept heartbeating, and still loses the one that went quiet', async () => {
    const nodes: Awaited<ReturnType<typeof connectNode>>[] = []
    for (let i = 0; i < 5; i++) nodes.push(await connectNode(client))
    const beats = nodes.map(({ agent }, i) => heartbeat(agent, i * 40))
    await waitFor(
      async () => (await Promise.all(nodes.map((n) => stateOf(n.nodeId)))).every((s) => s === 'online'),
      {
        what: 'every node online',
      },
    )
    // The last node's agent stops heartbeating (its stream stays open) just as Postgres goes away.
    const quiet = nodes.length - 1
    beats[quiet]!()
    await proxy.outage(2 * GRACE_MS)

    // Once Postgres is back, for longer than the grace: those that kept heartbeating stay online…
    const seen: string[] = []
    const until = Date.now() + 2 * GRACE_MS
    while (Date.now() < until) {
      const states = await Promise.all(
        nodes.slice(0, quiet).map((n) => stateOf(n.nodeId).catch(() => 'unreachable')),
      )
      seen.push(...states.filter((s) => s !== 'online' && s !== 'unreachable').map(String))
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(seen).toEqual([])
    // …and the quiet one is lost, one grace after the outage at the latest.
    await waitFor(async () => (await stateOf(nodes[quiet]!.nodeId)) === 'offline', {
      what: 'the quiet node lost',
      timeoutMs: 3 * GRACE_MS,
    })
    for (const stop of beats) stop()
    for (const { agent } of nodes) agent.end()
  })
})
