import { makeTestPki, type TestPki } from '@idlegrid/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startAgentPair, stopAgentPairs } from './support/agent-pair.js'

afterEach(stopAgentPairs)

const refusal = (line: { level: number; msg: string }) =>
  line.level === 50 &&
  line.msg.startsWith(
    "the registry refused this node's credential: this node credential was revoked — enrol the node again",
  )

describe('the node credential', () => {
  it('when the registry refuses it, says so plainly and does not try again within a minute', async () => {
    const { registry, agent, logs } = await startAgentPair({
      registry: { acceptTokens: ['node_someoneelse.x'] },
      config: { reconnect: { initialDelayMs: 10, maxDelayMs: 50 } },
      waitForRegistration: false,
    })
    const disconnected = new Promise((resolve) => agent.events.once('disconnected', resolve))
    expect(await disconnected).toMatchObject({
      credentialRefused: true,
      reason: expect.stringContaining('UNAUTHENTICATED'),
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(registry.streams).toHaveLength(1)
    expect(registry.streams[0]?.refused).toBe(true)
    const line = logs().find(refusal) as unknown as { retryInMs: number; nodeId: string } | undefined
    expect(line?.retryInMs).toBeGreaterThanOrEqual(60_000)
    expect(agent.nodeId()).toBeUndefined()
  })

  it('after a revocation keeps retrying at the auth pace, and resumes once the credential is accepted again', async () => {
    const { registry, agent, token, nodeId, logs } = await startAgentPair({
      config: { reconnect: { initialDelayMs: 10, maxDelayMs: 20, authRetryMs: 200 } },
    })
    registry.setAcceptedTokens([])
    await new Promise((resolve) => setTimeout(resolve, 700))
    // 1 registered stream, then one refused attempt every ≥200 ms: never a spin.
    const refused = registry.streams.filter((s) => s.refused).length
    expect(refused).toBeGreaterThanOrEqual(2)
    expect(refused).toBeLessThanOrEqual(4)
    expect(logs().filter(refusal).length).toBe(refused + 1)
    const resumed = new Promise((resolve) => agent.events.once('registered', resolve))
    registry.setAcceptedTokens([token])
    expect(await resumed).toMatchObject({ nodeId, reconnected: true })
  })
})

describe('TLS to the registry', () => {
  let pki: TestPki
  beforeAll(() => {
    pki = makeTestPki()
  })
  afterAll(() => pki?.remove())

  const serverTls = (requireClientCert: boolean) => ({
    ca: pki.read('ca'),
    cert: pki.read('serverCert'),
    key: pki.read('serverKey'),
    requireClientCert,
  })

  it('registers over mutual TLS with its client certificate', async () => {
    const { registry, token } = await startAgentPair({
      host: 'localhost', // by name, as a real registry is reached
      registry: { tls: serverTls(true) },
      config: { tls: { ca: pki.paths.ca, cert: pki.paths.clientCert, key: pki.paths.clientKey } },
    })
    expect(registry.streams[0]?.authorization).toBe(`Bearer ${token}`)
    expect(registry.streams[0]?.messages[0]?.body).toBe('register')
  })

  it('registers over server-authenticated TLS with the CA alone', async () => {
    const { registry } = await startAgentPair({
      host: 'localhost', // by name, as a real registry is reached
      registry: { tls: serverTls(false) },
      config: { tls: { ca: pki.paths.ca } },
    })
    expect(registry.streams[0]?.messages[0]?.body).toBe('register')
  })

  it('does not get in without a client certificate where the registry requires one', async () => {
    const { registry, agent } = await startAgentPair({
      host: 'localhost', // by name, as a real registry is reached
      registry: { tls: serverTls(true) },
      config: { tls: { ca: pki.paths.ca } },
      waitForRegistration: false,
    })
    const down = await new Promise<{ reason: string }>((resolve) =>
      agent.events.once('disconnected', resolve),
    )
    expect(down.reason).toMatch(/^UNAVAILABLE/)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(registry.streams).toHaveLength(0)
    expect(agent.nodeId()).toBeUndefined()
  })

  it('does not trust a registry whose certificate its CA did not sign', async () => {
    const other = makeTestPki()
    try {
      const { registry, agent } = await startAgentPair({
        host: 'localhost', // by name, as a real registry is reached
        registry: { tls: serverTls(false) },
        config: { tls: { ca: other.paths.ca } },
        waitForRegistration: false,
      })
      await new Promise((resolve) => agent.events.once('disconnected', resolve))
      expect(registry.streams).toHaveLength(0)
    } finally {
      other.remove()
    }
  })
})
