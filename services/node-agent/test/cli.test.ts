import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type FakeRegistry, startFakeRegistry } from './support/fake-registry.js'
import { nodeToken } from './support/tokens.js'

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
const { nodeId, token } = nodeToken()
const stateDir = mkdtempSync(join(tmpdir(), 'idlegrid-cli-state-'))

afterEach(async () => {
  running?.kill('SIGKILL')
  await registry?.close()
})
afterAll(() => rmSync(stateDir, { recursive: true, force: true }))

describe('idlegrid-agent command', () => {
  it('prints usage with every flag and an example for --help', async () => {
    const { code, stdout } = await launch(['--help']).exited
    expect(code).toBe(0)
    for (const flag of [
      '--token',
      '--config',
      '--registry',
      '--tls-ca',
      '--tls-cert',
      '--tls-key',
      '--price-per-gpu-hour',
      '--region',
      '--country',
      '--bandwidth-up-mbps',
      '--bandwidth-down-mbps',
      '--node-name',
      '--provider',
      '--state-dir',
      '--container-runtime',
      '--simulate-gpus',
      '--log-level',
      '--log-format',
    ]) {
      expect(stdout).toContain(flag)
    }
    for (const variable of [
      'IDLEGRID_NODE_TOKEN',
      'IDLEGRID_CONFIG',
      'IDLEGRID_TLS_CA',
      'IDLEGRID_STATE_DIR',
    ])
      expect(stdout).toContain(variable)
    // How to get a token, before anything else.
    expect(stdout).toMatch(
      /Enrol the node with the Idlegrid CLI[\s\S]*idlegrid nodes add[\s\S]*POST \/v1\/nodes/,
    )
    expect(stdout).toContain('Config file example')
    expect(stdout).toContain('Example')
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80)
  })

  it('exits with code 2 and names the bad flag and the missing variable', async () => {
    const { code, stderr } = await launch(['--price-per-gpu-hour', 'free']).exited
    expect(code).toBe(2)
    expect(stderr).toContain('--price-per-gpu-hour: must be a price in US dollars')
    expect(stderr).toContain('IDLEGRID_NODE_TOKEN (or --token): is required: enrol the node')
    expect(stderr).toContain('--help')
  })

  it('exits with code 2 on a machine without GPUs, saying what to do, and never connects', async () => {
    registry = await startFakeRegistry()
    const noDriver = mkdtempSync(join(tmpdir(), 'idlegrid-no-nvidia-smi-'))
    try {
      const { child, exited } = launch([], {
        PATH: noDriver,
        IDLEGRID_NODE_TOKEN: token,
        IDLEGRID_STATE_DIR: stateDir,
        IDLEGRID_CONTAINER_RUNTIME: 'none',
        IDLEGRID_REGISTRY: registry.address,
        LOG_LEVEL: 'silent',
      })
      running = child
      const { code, stderr } = await exited
      expect(code).toBe(2)
      expect(stderr).toContain('no GPU to offer: nvidia-smi lists none on this machine')
      expect(stderr).toContain('--simulate-gpus')
      expect(registry.streams).toHaveLength(0)
    } finally {
      rmSync(noDriver, { recursive: true, force: true })
    }
  })

  it('logs lines for people with --log-format text, JSON when its output is piped', async () => {
    registry = await startFakeRegistry()
    const env = {
      IDLEGRID_NODE_TOKEN: token,
      IDLEGRID_STATE_DIR: stateDir,
      IDLEGRID_CONTAINER_RUNTIME: 'none',
      IDLEGRID_REGISTRY: registry.address,
      IDLEGRID_SIMULATE_GPUS: '1xL4:24',
    }
    const text = launch(['--log-format', 'text'], env)
    running = text.child
    const firstStream = (await registry.waitFor((m) => m.body === 'register', 10_000)).stream
    text.child.kill('SIGTERM')
    const { code, stdout } = await text.exited
    expect(code).toBe(0)
    expect(stdout).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  idlegrid node agent starting  nodeId=${nodeId} `, 'm'),
    )
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d INFO {2}stopping: ending running jobs/m)
    expect(stdout).not.toContain('{"level"')

    const piped = launch([], env)
    running = piped.child
    await registry.waitFor((m, stream) => m.body === 'register' && stream !== firstStream, 10_000)
    piped.child.kill('SIGTERM')
    const first = (await piped.exited).stdout.split('\n')[0]!
    expect(JSON.parse(first)).toMatchObject({ level: 30, msg: 'idlegrid node agent starting', nodeId })
  })

  it('registers simulated GPUs with a registry and exits cleanly on SIGTERM', async () => {
    registry = await startFakeRegistry()
    const { child, exited } = launch(['--simulate-gpus', '1xH100:80', '--price-per-gpu-hour', '2.10'], {
      IDLEGRID_NODE_TOKEN: token,
      IDLEGRID_STATE_DIR: stateDir,
      IDLEGRID_CONTAINER_RUNTIME: 'none',
      IDLEGRID_REGISTRY: registry.address,
      IDLEGRID_NODE_NAME: 'cli-rig',
      LOG_LEVEL: 'warn',
    })
    running = child
    const register = await registry.waitFor((m) => m.body === 'register', 10_000)
    expect(register.stream.authorization).toBe(`Bearer ${token}`)
    expect(register.register).toMatchObject({
      nodeId,
      providerId: '',
      pricePerGpuHourMicros: '2100000',
      inventory: {
        hostname: 'cli-rig',
        simulated: true,
        gpus: [{ index: 0, model: 'H100', vramMib: 81_920, computeCapability: '9.0', interconnect: 'sxm' }],
      },
    })
    child.kill('SIGTERM')
    const { code } = await exited
    expect(code).toBe(0)
    expect(registry.streams[0]?.ended).toBe(true)
    // It left its state behind for the next start, and let go of the lock.
    expect(readdirSync(stateDir)).toEqual([`${nodeId}.json`])
  })
})
