import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_RESTARTED } from '../src/recovery.js'
import type { AgentState } from '../src/state-store.js'
import { about, nodeJob, startAgentPair, stopAgentPairs } from './support/agent-pair.js'
import { type FakeRegistry, startFakeRegistry } from './support/fake-registry.js'
import { isAlive, waitUntil } from './support/process-state.js'
import { nodeToken } from './support/tokens.js'

const bin = fileURLToPath(new URL('../bin/idlegrid-agent.mjs', import.meta.url))
const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  await stopAgentPairs()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function tempStateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'idlegrid-agent-state-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function fakeRegistry(options = {}) {
  const registry = await startFakeRegistry({ heartbeatIntervalMs: 100, ...options })
  cleanups.push(() => registry.close())
  return registry
}

const readState = (dir: string, nodeId: string) =>
  JSON.parse(readFileSync(join(dir, `${nodeId}.json`), 'utf8')) as AgentState & { nodeId: string }

/** The agent as a GPU owner runs it, in its own process, so the test can kill it like a crash would. */
function launchAgent(registry: FakeRegistry, token: string, stateDir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [bin, '--simulate-gpus', '2xRTX4090:24', '--container-runtime', 'none'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        IDLEGRID_NODE_TOKEN: token,
        IDLEGRID_REGISTRY: registry.address,
        IDLEGRID_STATE_DIR: stateDir,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  )
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return child
}

describe('surviving its own restart', () => {
  it('after a crash, the next agent stops the run the crash orphaned and reports it stopped', async () => {
    const registry = await fakeRegistry()
    const credential = nodeToken()
    const stateDir = tempStateDir()
    const crashed = launchAgent(registry, credential.token, stateDir)
    await registry.waitFor((m) => m.body === 'register', 10_000)
    registry.assign(
      nodeJob('asg_orphan', "console.log('pid ' + process.pid); setInterval(() => {}, 1000)", {
        gpuIndexes: [0, 1],
        epoch: '9',
        maxDurationS: 120,
      }),
    )
    const progress = await registry.waitFor(
      (m) => about('progress', 'asg_orphan')(m) && /pid \d+/.test(m.progress?.logTail ?? ''),
    )
    const pid = Number(/pid (\d+)/.exec(progress.progress?.logTail ?? '')?.[1])
    expect(readState(stateDir, credential.nodeId).running).toEqual([
      expect.objectContaining({ assignmentId: 'asg_orphan', epoch: '9', gpuIndexes: [0, 1], pid, pgid: pid }),
    ])

    // While it runs, a second agent for the same node is turned away.
    await expect(
      startAgentPair({ registry, credential, config: { stateDir }, waitForRegistration: false }),
    ).rejects.toThrow(`another idlegrid-agent (pid ${crashed.pid}) is running as ${credential.nodeId}`)
    await stopAgentPairs()

    crashed.kill('SIGKILL')
    await once(crashed, 'exit')
    expect(isAlive(pid)).toBe(true) // the crash left the job running, unwatched
    await new Promise((resolve) => setTimeout(resolve, 1_100))

    await startAgentPair({ registry, credential, config: { stateDir }, waitForRegistration: false })
    const completion = await registry.waitFor(about('completion', 'asg_orphan'))
    expect(isAlive(pid)).toBe(false)
    expect(completion.stream).toBe(registry.streams.at(-1))
    expect(completion.completion).toMatchObject({
      exitCode: -1,
      error: AGENT_RESTARTED,
      epoch: '9',
      interrupted: true,
    })
    const wallMs = Number(completion.completion?.wallMs)
    expect(wallMs).toBeGreaterThanOrEqual(1_100)
    expect(wallMs).toBeLessThan(15_000)
    expect(Number(completion.completion?.gpuSeconds)).toBe(Math.ceil(wallMs / 1000) * 2)
    // Registered as still to be reported, so the registry does not take it for lost first.
    expect(completion.stream.messages[0]?.register?.running).toEqual([
      { assignmentId: 'asg_orphan', epoch: '9' },
    ])
    await waitUntil(() => readState(stateDir, credential.nodeId).unsent.length === 0)
    expect(readState(stateDir, credential.nodeId)).toMatchObject({ running: [], unsent: [] })
  }, 30_000)

  it('keeps a completion it could not send across a restart and sends it from the next agent', async () => {
    const registry = await fakeRegistry()
    const credential = nodeToken()
    const stateDir = tempStateDir()
    const first = await startAgentPair({ registry, credential, config: { stateDir } })
    registry.assign(
      nodeJob('asg_saved', "setTimeout(() => { console.log('checkpoint saved'); process.exit(0) }, 300)", {
        epoch: '2',
      }),
    )
    await registry.waitFor(about('ack', 'asg_saved'))
    registry.holdRegistrations()
    registry.dropStreams()
    await new Promise((resolve) => first.agent.events.once('completed', resolve))
    await first.agent.stop()

    const saved = readState(stateDir, credential.nodeId)
    expect(saved).toMatchObject({ nodeId: credential.nodeId, running: [] })
    expect(saved.unsent).toEqual([
      expect.objectContaining({ assignmentId: 'asg_saved', exitCode: 0, epoch: '2' }),
    ])
    expect(statSync(join(stateDir, `${credential.nodeId}.json`)).mode & 0o777).toBe(0o600)
    expect(readdirSync(stateDir)).toEqual([`${credential.nodeId}.json`])

    registry.releaseRegistrations()
    await startAgentPair({ registry, credential, config: { stateDir } })
    const completion = await registry.waitFor(about('completion', 'asg_saved'))
    expect(completion.completion).toMatchObject({ exitCode: 0, epoch: '2', gpuSeconds: '1' })
    expect(completion.completion?.logTail).toContain('checkpoint saved')
    expect(completion.stream.messages[0]?.register?.running).toEqual([
      { assignmentId: 'asg_saved', epoch: '2' },
    ])
  })

  it('does not report a run that ended while no agent was watching (its outcome is unknown)', async () => {
    const registry = await fakeRegistry()
    const credential = nodeToken()
    const stateDir = tempStateDir()
    const crashed = launchAgent(registry, credential.token, stateDir)
    await registry.waitFor((m) => m.body === 'register', 10_000)
    registry.assign(nodeJob('asg_gone', "console.log('pid ' + process.pid); setInterval(() => {}, 1000)"))
    const progress = await registry.waitFor(
      (m) => about('progress', 'asg_gone')(m) && /pid \d+/.test(m.progress?.logTail ?? ''),
    )
    const pid = Number(/pid (\d+)/.exec(progress.progress?.logTail ?? '')?.[1])
    crashed.kill('SIGKILL')
    await once(crashed, 'exit')
    process.kill(-pid, 'SIGKILL')
    expect(await waitUntil(() => !isAlive(pid))).toBe(true)

    const { logs } = await startAgentPair({ registry, credential, config: { stateDir } })
    expect(registry.streams.at(-1)?.messages[0]?.register?.running).toEqual([])
    expect(logs().some((line) => line.msg.includes('ended while the agent was down'))).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(registry.streams.flatMap((s) => s.messages).filter(about('completion', 'asg_gone'))).toEqual([])
  }, 30_000)
})
