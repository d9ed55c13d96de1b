import { callUnary, createClient, grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { ControlMessage__Output } from '@idlegrid/proto/registry'
import { freePort, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateAll } from '../../scripts/migrate-all.js'
import {
  killLaunched,
  type LaunchedProcess,
  launch,
  type ServiceName,
  serviceMain,
  serviceNames,
  waitUntilHealthy,
} from '../support/processes.js'

/**
 * Each service as its own process, stopped the way Kubernetes stops it. The
 * lifecycle never calls process.exit on a clean stop and force-exits with 1
 * after SHUTDOWN_TIMEOUT_MS, so "exit 0 well before that" means every socket,
 * timer and pool was closed.
 */
const env = useTestEnv()

beforeAll(async () => {
  await migrateAll(env.databaseUrl)
})
afterAll(killLaunched)

function peersOf(name: ServiceName, absent: string): Record<string, string> {
  if (name === 'matching') return { REGISTRY_ADDRESS: absent }
  if (name === 'gateway')
    return {
      REGISTRY_ADDRESS: absent,
      PRICING_ADDRESS: absent,
      BILLING_ADDRESS: absent,
      MATCHING_ADDRESS: absent,
    }
  return {}
}

async function boot(name: ServiceName) {
  const [httpPort, grpcPort, nobody] = await Promise.all([freePort(), freePort(), freePort()])
  // Peers nobody listens on: the process still starts; only /readyz says it is not ready.
  const peers = peersOf(name, `127.0.0.1:${nobody}`)
  const proc = launch(serviceMain(name), {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    DB_POOL_MAX: '4',
    HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '15000',
    ...peers,
  })
  await waitUntilHealthy(proc, `http://127.0.0.1:${httpPort}/healthz`)
  return { proc, grpcAddress: `127.0.0.1:${grpcPort}` }
}

async function terminate(proc: LaunchedProcess) {
  proc.child.kill('SIGTERM')
  const exit = await proc.exited
  return { code: exit.code, signal: exit.signal }
}

function expectCleanStop(proc: LaunchedProcess, exit: Awaited<ReturnType<typeof terminate>>) {
  const output = `stdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`
  expect(exit.code, output).toBe(0)
  expect(exit.signal, output).toBeNull()
  // Exit code 0 also proves the shutdown was not forced: the forced exit (10 s) exits 1.
  expect(proc.logMessages(), output).toEqual(expect.arrayContaining(['stopping', 'stopped']))
}

describe('a service process on SIGTERM', () => {
  it.each(serviceNames)('%s closes every handle and exits 0 by itself', async (name) => {
    const { proc } = await boot(name)
    expectCleanStop(proc, await terminate(proc))
  })

  it('registry ends an open agent stream with OK and still exits 0', async () => {
    const { proc, grpcAddress } = await boot('registry')
    const client = createClient(loadProtos().idlegrid.registry.v1.RegistryService, grpcAddress)
    try {
      const { token } = await callUnary(client, 'enrollNode', {
        providerId: 'prov_shutdown',
        name: 'rig-shutdown',
      })
      const metadata = new grpc.Metadata()
      metadata.set('authorization', `Bearer ${token}`)
      const stream = client.connect(metadata)
      const received: ControlMessage__Output[] = []
      let status: grpc.StatusObject | undefined
      stream.on('data', (m: ControlMessage__Output) => received.push(m))
      stream.on('status', (s: grpc.StatusObject) => {
        status = s
      })
      stream.on('error', () => {})
      stream.write({
        register: {
          inventory: {
            gpus: [{ index: 0, model: 'RTX4090', vramMib: 24576, uuid: 'GPU-shutdown' }],
            cpuCores: 8,
            ramMib: '32768',
            hostname: 'rig-shutdown',
            region: 'eu-west',
            simulated: true,
          },
          pricePerGpuHourMicros: '450000',
          agentVersion: 'test',
        },
      })
      await waitFor(() => received.find((m) => m.body === 'registered'), { what: 'registered' })

      const exit = await terminate(proc)
      const ended = await waitFor(() => status, { what: 'agent stream status' })
      // OK (not UNAVAILABLE from a forced cut) tells the agent to reconnect to another replica.
      expect(ended.code).toBe(grpc.status.OK)
      expectCleanStop(proc, exit)
    } finally {
      client.close()
    }
  })
})
