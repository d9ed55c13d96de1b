import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  killLaunched,
  launch,
  type ServiceName,
  serviceMain,
  startConnectionTrap,
} from '../support/processes.js'

/**
 * A mistyped variable must stop a deploy at once with a message an operator
 * can act on, before the process touches Postgres, Redis or a peer. Every
 * other address points at a trap that counts connections, so "exited before
 * connecting" is observed rather than assumed.
 */
let trap: Awaited<ReturnType<typeof startConnectionTrap>>
beforeAll(async () => {
  trap = await startConnectionTrap()
})
afterAll(async () => {
  await killLaunched()
  await trap?.close()
})

const trapped = () => {
  const at = `127.0.0.1:${trap.port}`
  return {
    DATABASE_URL: `postgres://postgres@${at}/idlegrid`,
    REDIS_URL: `redis://${at}`,
    QUEUE_PREFIX: 'config-errors',
    HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    REGISTRY_ADDRESS: at,
    PRICING_ADDRESS: at,
    BILLING_ADDRESS: at,
    MATCHING_ADDRESS: at,
  }
}

async function runToExit(main: string, env: Record<string, string>, args: string[] = []) {
  const proc = launch(main, env, args)
  const exit = await proc.exited
  return { code: exit.code, stderr: proc.stderr(), stdout: proc.stdout() }
}

const cases: { service: ServiceName; variable: string; value: string; problem: RegExp }[] = [
  {
    service: 'gateway',
    variable: 'HTTP_PORT',
    value: 'abc',
    problem: /HTTP_PORT: must be an integer, got "abc"/,
  },
  {
    service: 'billing',
    variable: 'DATABASE_URL',
    value: 'not-a-url',
    problem: /DATABASE_URL: must be a URL \(postgres or postgresql\), got "not-a-url"/,
  },
  {
    service: 'matching',
    variable: 'REGISTRY_ADDRESS',
    value: 'nowhere',
    problem: /REGISTRY_ADDRESS: must be host:port, got "nowhere"/,
  },
  {
    service: 'registry',
    variable: 'GRPC_PORT',
    value: '99999',
    problem: /GRPC_PORT: must be ≤ 65535, got 99999/,
  },
  {
    service: 'pricing',
    variable: 'LOG_LEVEL',
    value: 'loud',
    problem: /LOG_LEVEL: must be one of .*info.*, got "loud"/,
  },
]

describe('a service started with a bad variable', () => {
  it.each(cases)(
    '$service refuses $variable=$value, names it, and exits before connecting',
    async ({ service, variable, value, problem }) => {
      const before = trap.connections()
      const result = await runToExit(serviceMain(service), { ...trapped(), [variable]: value })
      expect(result.code, result.stderr).not.toBe(0)
      expect(result.code, result.stderr).not.toBeNull()
      expect(result.stderr).toMatch(problem)
      expect(result.stderr).toContain(`${service}: Invalid configuration`)
      // Only the bad variable is blamed: the rest of the configuration is valid.
      expect(result.stderr.trim().split('\n')).toHaveLength(2)
      expect(trap.connections() - before).toBe(0)
    },
  )
})

describe('the node agent started with a bad flag', () => {
  it('refuses --simulate-gpus without VRAM, names the flag and the entry, and never dials the registry', async () => {
    const before = trap.connections()
    const result = await runToExit(serviceMain('node-agent'), {}, [
      '--provider',
      'prov_cfg',
      '--registry',
      `127.0.0.1:${trap.port}`,
      '--simulate-gpus',
      '2xRTX4090',
    ])
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/--simulate-gpus: entry "2xRTX4090" must look like COUNTxMODEL:VRAM_GIB/)
    expect(result.stderr).toContain('--help')
    expect(trap.connections() - before).toBe(0)
  })
})
