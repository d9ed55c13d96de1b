import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeRegistry, startFakeRegistry } from './support/fake-registry.js'

const bin = fileURLToPath(new URL('../bin/idlegrid-agent.mjs', import.meta.url))

function launch(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }))
  return { child, exited }
}

let running: ChildProcess | undefined
let registry: FakeRegistry | undefined

afterEach(async () => {
  running?.kill('SIGKILL')
  await registry?.close()
})

describe('idlegrid-agent command', () => {
  it('prints usage with every flag and an example for --help', async () => {
    const { code, stdout } = await launch(['--help']).exited
    expect(code).toBe(0)
    for (const flag of [
      '--provider',
      '--registry',
      '--price-per-gpu-hour',
      '--region',
      '--node-name',
      '--simulate-gpus',
    ]) {
      expect(stdout).toContain(flag)
    }
    expect(stdout).toContain('Example:')
  })

  it('exits with code 2 and names the bad flag and the missing variable', async () => {
    const { code, stderr } = await launch(['--price-per-gpu-hour', 'free']).exited
    expect(code).toBe(2)
    expect(stderr).toContain('--price-per-gpu-hour: must be a price in US dollars')
    expect(stderr).toContain('IDLEGRID_PROVIDER (or --provider): is required')
    expect(stderr).toContain('--help')
  })

  it('registers simulated GPUs with a registry and exits cleanly on SIGTERM', async () => {
    registry = await startFakeRegistry()
    const { child, exited } = launch(['--simulate-gpus', '1xH100:80', '--price-per-gpu-hour', '2.10'], {
      IDLEGRID_PROVIDER: 'prov_cli',
      IDLEGRID_REGISTRY: registry.address,
      IDLEGRID_NODE_NAME: 'cli-rig',
      LOG_LEVEL: 'warn',
    })
    running = child
    const register = await registry.waitFor((m) => m.body === 'register', 10_000)
    expect(register.register).toMatchObject({
      providerId: 'prov_cli',
      pricePerGpuHourMicros: '2100000',
      inventory: {
        hostname: 'cli-rig',
        simulated: true,
        gpus: [{ index: 0, model: 'H100', vramMib: 81_920 }],
      },
    })
    child.kill('SIGTERM')
    const { code } = await exited
    expect(code).toBe(0)
    expect(registry.streams[0]?.ended).toBe(true)
  })
})
