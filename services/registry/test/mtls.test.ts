import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { grpc } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import { clientOf, enroll, migrate, openStream, registration, startRegistry } from './support/harness.js'

/**
 * mTLS on the agent port: certificates made for this test with openssl — a CA,
 * a server certificate for 127.0.0.1, and a client certificate it signed.
 */
const env = useTestEnv()
const dir = mkdtempSync(join(tmpdir(), 'idlegrid-mtls-'))
const file = (name: string) => join(dir, name)
let service: RegistryService

function makeCertificates() {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=idlegrid-test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  )
  for (const [name, subject, ext] of [
    ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'],
    ['client', '/CN=node-agent', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    )
    execFileSync('sh', ['-c', `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir })
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    )
  }
}

beforeAll(async () => {
  makeCertificates()
  await migrate(env)
  service = await startRegistry(env, {
    TLS_CERT_FILE: file('server.pem'),
    TLS_KEY_FILE: file('server.key'),
    TLS_CLIENT_CA_FILE: file('ca.pem'),
  })
})
afterAll(async () => {
  await service?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const ca = () => readFileSync(file('ca.pem'))
const withClientCert = () =>
  grpc.credentials.createSsl(ca(), readFileSync(file('client.key')), readFileSync(file('client.pem')))

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
