import { callUnary, grpc } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  migrate,
  openStream,
  type RegistryClient,
  registration,
  reserve,
  startRegistry,
} from './support/harness.js'

/** Two registry replicas on one database and one Redis, as in a deployment with 2 pods. */
const env = useTestEnv()
let a: RegistryService
let b: RegistryService
let clientA: RegistryClient
let clientB: RegistryClient

beforeAll(async () => {
  await migrate(env)
  ;[a, b] = await Promise.all([startRegistry(env), startRegistry(env)])
  clientA = clientOf(a)
  clientB = clientOf(b)
})
afterAll(async () => {
  clientA?.close()
  clientB?.close()
  await Promise.all([a?.stop(), b?.stop()])
})

describe('two registry replicas', () => {
  it.each([
    ['agent on A, reservation through B', () => [clientA, clientB] as const],
    ['agent on B, reservation through A', () => [clientB, clientA] as const],
    ['agent and reservation on the same replica', () => [clientA, clientA] as const],
  ])('delivers the assignment: %s', async (_name, pick) => {
    const [agentSide, matchingSide] = pick()
    const { nodeId, agent } = await connectNode(agentSide)
    const run = await reserve(matchingSide, nodeId, `job_${Math.random().toString(36).slice(2)}`)
    expect((await agent.next('assignment')).assignment!.assignmentId).toBe(run.assignmentId)
    agent.end()
  })

  it('ends a revoked node’s stream whichever replica holds it', async () => {
    const { nodeId, agent } = await connectNode(clientA)
    await callUnary(clientB, 'revokeNodeCredential', { providerId: 'prov_alice', nodeId })
    expect((await agent.closedWith()).code).toBe(grpc.status.UNAUTHENTICATED)
  })

  it('keeps a node connected when its agent moved to the other replica and its old stream ends after', async () => {
    const { nodeId, token, agent } = await connectNode(clientA)
    const moved = openStream(clientB, token)
    moved.send(registration())
    await moved.next('registered')
    // The old connection's end reaches replica A only now (a network blip seen late).
    agent.cancel()
    await agent.closedWith()
    await new Promise((r) => setTimeout(r, 500))
    const listed = await callUnary(clientA, 'listProviderNodes', { providerId: 'prov_alice' })
    expect(listed.nodes.find((n) => n.nodeId === nodeId)?.state).toBe('online')
    moved.end()
  })

  it('counts each agent stream on the replica that holds it', async () => {
    const { agent } = await connectNode(clientB)
    const metrics = await (await fetch(`http://127.0.0.1:${b.ports().http}/metrics`)).text()
    expect(metrics).toMatch(/idlegrid_agent_streams\{service="registry"\} [1-9]/)
    agent.end()
  })
})
