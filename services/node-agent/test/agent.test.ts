import { once } from 'node:events'
import type { AgentMessage__Output, Assignment } from '@idlegrid/proto/registry'
import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_VERSION, type Agent, createAgent } from '../src/agent.js'
import { usdToMicros } from '../src/price.js'
import { parseSimulatedGpus } from '../src/simulated-gpus.js'
import { silentLogger } from './support/capture-logger.js'
import { type FakeRegistry, startFakeRegistry } from './support/fake-registry.js'
import { isAlive, waitUntil } from './support/process-state.js'
import { nodeToken } from './support/tokens.js'

let registry: FakeRegistry
let agent: Agent
const { nodeId, token } = nodeToken()

afterEach(async () => {
  await agent?.stop()
  await registry?.close()
})

async function startAgent() {
  registry = await startFakeRegistry({ heartbeatIntervalMs: 50 })
  agent = createAgent(
    {
      registry: registry.address,
      token,
      providerId: 'prov_test',
      region: 'eu-test',
      pricePerGpuHourMicros: usdToMicros('0.45'),
      nodeName: 'rig-1',
      simulateGpus: parseSimulatedGpus('2xRTX4090:24'),
      progressIntervalMs: 50,
      killGraceMs: 300,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      containerRuntime: 'none',
    },
    { logger: silentLogger() },
  )
  const registered = once(agent.events, 'registered')
  await agent.start()
  await registered
}

const job = (assignmentId: string, script: string, gpuIndexes = [0], maxDurationS = 10): Assignment => ({
  assignmentId,
  jobId: `job_${assignmentId}`,
  gpuIndexes,
  spec: { kind: 'training', command: [process.execPath, '-e', script], env: { EPOCHS: '1' }, maxDurationS },
  pricePerGpuHourMicros: '450000',
})

const about = (body: AgentMessage__Output['body'], assignmentId: string) => (m: AgentMessage__Output) =>
  m.body === body && m[body as 'ack']?.assignmentId === assignmentId

describe('node agent ⇄ registry', () => {
  it('registers, heartbeats, runs an assignment and reports progress and completion', async () => {
    await startAgent()
    const [first] = registry.streams
    expect(first?.messages[0]).toMatchObject({
      body: 'register',
      register: {
        providerId: 'prov_test',
        nodeId,
        running: [],
        pricePerGpuHourMicros: '450000',
        agentVersion: AGENT_VERSION,
        inventory: {
          hostname: 'rig-1',
          region: 'eu-test',
          simulated: true,
          gpus: [
            { index: 0, model: 'RTX4090', vramMib: 24_576, computeCapability: '8.9', cudaVersion: '12.4' },
            { index: 1, model: 'RTX4090', vramMib: 24_576, interconnect: 'pcie', driverVersion: '550.54.15' },
          ],
        },
      },
    })
    expect(first?.messages[0]?.register?.inventory?.cpuCores).toBeGreaterThan(0)
    expect(first?.authorization).toBe(`Bearer ${token}`)
    expect(agent.nodeId()).toBe(nodeId)

    await registry.waitFor((m) => m.heartbeat?.sequence === '3')
    const heartbeats = first?.messages
      .filter((m) => m.body === 'heartbeat')
      .map((m) => Number(m.heartbeat?.sequence))
    expect(heartbeats?.slice(0, 3)).toEqual([1, 2, 3])

    const script =
      "console.log('gpus ' + process.env.CUDA_VISIBLE_DEVICES); setTimeout(() => process.exit(3), 300)"
    registry.assign(job('asg_1', script, [0, 1]))
    const completion = await registry.waitFor(about('completion', 'asg_1'))
    expect(completion.completion).toMatchObject({ exitCode: 3, gpuSeconds: '2', error: '' })
    expect(completion.completion?.logTail).toContain('gpus 0,1')
    expect(Number(completion.completion?.wallMs)).toBeGreaterThanOrEqual(300)

    const messages = first?.messages ?? []
    const ackAt = messages.findIndex(about('ack', 'asg_1'))
    const progress = messages.filter(about('progress', 'asg_1')).map((m) => m.progress)
    expect(ackAt).toBeGreaterThan(0)
    expect(messages.findIndex(about('progress', 'asg_1'))).toBeGreaterThan(ackAt)
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(progress.map((p) => Number(p?.sequence))).toEqual(progress.map((_, i) => i + 1))
    expect(progress.at(-1)?.logTail).toContain('gpus 0,1')
    expect(messages.findIndex(about('completion', 'asg_1'))).toBeGreaterThan(
      messages.findIndex(about('progress', 'asg_1')),
    )
  })

  it('reports a job whose command does not exist as failed and keeps serving', async () => {
    await startAgent()
    registry.assign({
      ...job('asg_missing', ''),
      spec: { command: ['idlegrid-no-such-binary'], maxDurationS: 5 },
    })
    const failed = await registry.waitFor(about('completion', 'asg_missing'))
    expect(failed.completion).toMatchObject({ exitCode: -1, gpuSeconds: '0' })
    expect(failed.completion?.error).toContain('ENOENT')
    registry.assign(job('asg_after', 'process.exit(0)'))
    expect((await registry.waitFor(about('completion', 'asg_after'))).completion?.exitCode).toBe(0)
  })

  it('runs concurrent assignments on different GPUs', async () => {
    await startAgent()
    const script = "setTimeout(() => console.log('on ' + process.env.CUDA_VISIBLE_DEVICES), 200)"
    registry.assign(job('asg_a', script, [0]))
    registry.assign(job('asg_b', script, [1]))
    const [a, b] = await Promise.all([
      registry.waitFor(about('completion', 'asg_a')),
      registry.waitFor(about('completion', 'asg_b')),
    ])
    expect(a.completion?.logTail).toBe('on 0\n')
    expect(b.completion?.logTail).toBe('on 1\n')
  })

  it('reconnects after the registry drops the stream and re-registers as the same node', async () => {
    await startAgent()
    const reregistered = once(agent.events, 'registered')
    registry.dropStreams()
    const [event] = await reregistered
    expect(event).toMatchObject({ nodeId, reconnected: true })
    expect(registry.streams).toHaveLength(2)
    expect(registry.streams[1]?.messages[0]?.register).toMatchObject({ providerId: 'prov_test', nodeId })
    expect(registry.streams[1]?.authorization).toBe(`Bearer ${token}`)
    expect(agent.nodeId()).toBe(nodeId)
    // Heartbeats continue on the new stream, still counting up.
    const last = Number(
      registry.streams[0]?.messages.filter((m) => m.body === 'heartbeat').at(-1)?.heartbeat?.sequence ?? 0,
    )
    const next = await registry.waitFor(
      (m, stream) => stream === registry.streams[1] && m.body === 'heartbeat',
    )
    expect(Number(next.heartbeat?.sequence)).toBeGreaterThan(last)
  })

  it('keeps a completion that could not be sent and sends it after reconnecting', async () => {
    await startAgent()
    registry.assign(
      job('asg_offline', "setTimeout(() => { console.log('saved checkpoint'); process.exit(0) }, 300)"),
    )
    await registry.waitFor(about('ack', 'asg_offline'))
    registry.holdRegistrations()
    registry.dropStreams()
    await once(agent.events, 'completed')
    await registry.waitFor((m, stream) => stream === registry.streams[1] && m.body === 'register')
    expect(registry.streams.flatMap((s) => s.messages).filter((m) => m.body === 'completion')).toEqual([])

    registry.releaseRegistrations()
    const completion = await registry.waitFor(about('completion', 'asg_offline'))
    expect(completion.stream).toBe(registry.streams[1])
    expect(completion.completion).toMatchObject({ exitCode: 0, gpuSeconds: '1' })
    expect(completion.completion?.logTail).toContain('saved checkpoint')
  })

  it('answers a re-delivered assignment with its completion instead of running it twice', async () => {
    await startAgent()
    let started = 0
    agent.events.on('assignment', () => started++)
    registry.assign(job('asg_once', 'process.exit(0)'))
    await registry.waitFor(about('completion', 'asg_once'))
    registry.assign(job('asg_once', 'process.exit(0)'))
    await waitUntil(() => registry.streams[0]?.messages.filter(about('completion', 'asg_once')).length === 2)
    expect(registry.streams[0]?.messages.filter(about('ack', 'asg_once'))).toHaveLength(2)
    expect(started).toBe(1)
  })

  it('stop() kills running jobs, reports them as interrupted (to run again elsewhere), and closes the stream', async () => {
    await startAgent()
    registry.assign(
      job('asg_long', "console.log('pid ' + process.pid); setInterval(() => {}, 1000)", [0], 60),
    )
    const progress = await registry.waitFor(
      (m) => about('progress', 'asg_long')(m) && /pid \d+/.test(m.progress?.logTail ?? ''),
    )
    const pid = Number(/pid (\d+)/.exec(progress.progress?.logTail ?? '')?.[1])
    expect(isAlive(pid)).toBe(true)

    await agent.stop()
    expect(isAlive(pid)).toBe(false)
    const stream = registry.streams[0]
    // It said it was leaving before it reported the run, so the registry places nothing new on it.
    const messages = stream?.messages.map((m) => m.body) ?? []
    expect(messages.indexOf('leaving')).toBeGreaterThan(-1)
    expect(messages.indexOf('leaving')).toBeLessThan(
      stream!.messages.findIndex(about('completion', 'asg_long')),
    )
    expect(stream?.messages.find(about('completion', 'asg_long'))?.completion).toMatchObject({
      exitCode: -1,
      error: 'agent stopped',
      interrupted: true,
    })
    expect(await waitUntil(() => stream?.ended === true)).toBe(true)
  })
})
