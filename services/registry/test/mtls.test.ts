import { grpc } from '@idlegrid/grpc'
import { makeTestPki, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import { clientOf, enroll, migrate, openStream, registration, startRegistry } from './support/harness.js'

/**
 * mTLS on the agent port, with a throwaway CA, a server certificate for
 * 127.0.0.1 and a client certificate it signed (made with openssl).
 */
const env = useTestEnv()
const pki = makeTestPki()
let service: RegistryService

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env, {
    TLS_CERT_FILE: pki.paths.serverCert,
    TLS_KEY_FILE: pki.paths.serverKey,
    TLS_CLIENT_CA_FILE: pki.paths.ca,
  })
})
afterAll(async () => {
  await service?.stop()
  pki.remove()
})

const ca = () => pki.read('ca')
const withClientCert = () => grpc.credentials.createSsl(ca(), pki.read('clientKey'), pki.read('clientCert'))

describe('mTLS on the agent port', () => {
  it('accepts an agent presenting a client certificate signed by the CA', async () => {
    const client = clientOf(service, withClientCert())
    const { token } = await enroll(client)
    const agent = openStream(client, token)
    agent.send(registration())
    expect((await agent.next('registered')).registered!.heartbeatIntervalMs).toBeGreaterThan(0)
    agent.end()
    client.close()
  })

  it('refuses a client without a certificate', async () => {
    const client = clientOf(service, grpc.credentials.createSsl(ca()))
    const agent = openStream(client, undefined)
    agent.send(registration())
    const status = await agent.closedWith()
    expect(status.code).toBe(grpc.status.UNAVAILABLE)
    expect(agent.count('registered')).toBe(0)
    client.close()
  })

  it('refuses a plaintext client', async () => {
    const client = clientOf(service, grpc.credentials.createInsecure())
    const agent = openStream(client, undefined)
    agent.send(registration())
    expect((await agent.closedWith()).code).toBe(grpc.status.UNAVAILABLE)
    client.close()
  })
})
