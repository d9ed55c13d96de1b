import * as grpc from '@grpc/grpc-js'
import { afterEach, describe, expect, it } from 'vitest'
import { NO_CONTAINER_RUNTIME } from '../src/container.js'
import { about, nodeJob, startAgentPair, stopAgentPairs } from './support/agent-pair.js'
import { isAlive, waitUntil } from './support/process-state.js'

afterEach(stopAgentPairs)

const printsPid = "console.log('pid ' + process.pid); setInterval(() => {}, 1000)"
const ignoresTerm =
  "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('pid ' + process.pid); setInterval(() => {}, 1000)"
const pidFrom = (logTail: string | undefined) => Number(/pid (\d+)/.exec(logTail ?? '')?.[1])

describe('what the registry sees of a run', () => {
  it('echoes the epoch in ack, progress and completion; progress carries the GPU stats of the run', async () => {
    const { registry } = await startAgentPair()
    registry.assign(
      nodeJob('asg_epoch', 'setTimeout(() => process.exit(0), 400)', { gpuIndexes: [1], epoch: '7' }),
    )
    const completion = await registry.waitFor(about('completion', 'asg_epoch'))
    expect(completion.completion).toMatchObject({ exitCode: 0, epoch: '7' })
    const messages = registry.streams[0]?.messages ?? []
    expect(messages.find(about('ack', 'asg_epoch'))?.ack).toEqual({ assignmentId: 'asg_epoch', epoch: '7' })
    const progress = messages.filter(about('progress', 'asg_epoch')).map((m) => m.progress)
    expect(progress.length).toBeGreaterThanOrEqual(2)
    for (const p of progress) {
      expect(p?.epoch).toBe('7')
      expect(p?.gpus).toEqual([{ index: 1, utilizationPct: 100, memoryUsedMib: 12_288, temperatureC: 72 }])
    }
  })

  it('heartbeats report busy GPUs while a run holds them and idle ones otherwise', async () => {
    const { registry } = await startAgentPair()
    const idle = { utilizationPct: 0, memoryUsedMib: 0, temperatureC: 38 }
    const busy = { utilizationPct: 100, memoryUsedMib: 12_288, temperatureC: 72 }
    const first = await registry.waitFor((m) => m.body === 'heartbeat')
    expect(first.heartbeat?.gpus).toEqual([
      { index: 0, ...idle },
      { index: 1, ...idle },
    ])
    registry.assign(nodeJob('asg_hb', printsPid, { gpuIndexes: [0] }))
    const during = await registry.waitFor((m) => m.heartbeat?.gpus[0]?.utilizationPct === 100)
    expect(during.heartbeat?.gpus).toEqual([
      { index: 0, ...busy },
      { index: 1, ...idle },
    ])
    registry.cancel({ assignmentId: 'asg_hb', reason: 'cancelled', graceS: 1 })
    await registry.waitFor(about('completion', 'asg_hb'))
    const sequence = Number(during.heartbeat?.sequence)
    const after = await registry.waitFor(
      (m) =>
        m.body === 'heartbeat' &&
        Number(m.heartbeat?.sequence) > sequence + 1 &&
        m.heartbeat?.gpus[0]?.utilizationPct === 0,
    )
    expect(after.heartbeat?.gpus[0]).toEqual({ index: 0, ...idle })
  })

  it('lists the runs still going, with their epochs, when it registers again', async () => {
    const { registry, agent } = await startAgentPair()
    registry.assign(nodeJob('asg_keep', printsPid, { epoch: '3' }))
    await registry.waitFor(about('progress', 'asg_keep'))
    const reregistered = new Promise((resolve) => agent.events.once('registered', resolve))
    registry.dropStreams()
    await reregistered
    expect(registry.streams[1]?.messages[0]?.register?.running).toEqual([
      { assignmentId: 'asg_keep', epoch: '3' },
    ])
    // The same run goes on reporting on the new stream.
    await registry.waitFor((m, stream) => stream === registry.streams[1] && about('progress', 'asg_keep')(m))
  })

  it('keeps running an assignment re-delivered in a newer epoch, and reports in the newer epoch', async () => {
    const { registry, agent } = await startAgentPair()
    let starts = 0
    agent.events.on('assignment', () => starts++)
    registry.assign(nodeJob('asg_re', 'setTimeout(() => process.exit(0), 500)', { epoch: '1' }))
    await registry.waitFor(about('progress', 'asg_re'))
    registry.assign(nodeJob('asg_re', 'setTimeout(() => process.exit(0), 500)', { epoch: '2' }))
    const completion = await registry.waitFor(about('completion', 'asg_re'))
    expect(completion.completion).toMatchObject({ exitCode: 0, epoch: '2' })
    expect(starts).toBe(1)
    const acks = registry.streams[0]?.messages.filter(about('ack', 'asg_re')).map((m) => m.ack?.epoch)
    expect(acks).toEqual(['1', '2'])
  })

  it('answers a job with an image on a node without docker or podman with a clear failure', async () => {
    const { registry } = await startAgentPair({
      config: { containerRuntime: 'auto' },
      deps: { containerRuntime: async () => undefined },
    })
    registry.assign(nodeJob('asg_img', 'process.exit(0)', { image: 'pytorch/pytorch:2.3.0', epoch: '4' }))
    const completion = await registry.waitFor(about('completion', 'asg_img'))
    expect(completion.completion).toMatchObject({
      exitCode: -1,
      wallMs: '0',
      gpuSeconds: '0',
      error: NO_CONTAINER_RUNTIME,
      epoch: '4',
    })
  })
})

describe('cancellations', () => {
  it('SIGTERMs the run, SIGKILLs it after the grace, and reports it cancelled with its reason', async () => {
    const { registry, agent } = await startAgentPair()
    const cancelled = new Promise((resolve) => agent.events.once('cancelled', resolve))
    registry.assign(nodeJob('asg_c', ignoresTerm, { epoch: '5', gpuIndexes: [0, 1] }))
    const progress = await registry.waitFor(
      (m) => about('progress', 'asg_c')(m) && /pid \d+/.test(m.progress?.logTail ?? ''),
    )
    const pid = pidFrom(progress.progress?.logTail)
    registry.cancel({ assignmentId: 'asg_c', reason: 'preempted', graceS: 1 })
    expect(await cancelled).toEqual({ assignmentId: 'asg_c', reason: 'preempted' })
    const completion = await registry.waitFor(about('completion', 'asg_c'))
    expect(completion.completion).toMatchObject({ exitCode: -1, error: 'cancelled: preempted', epoch: '5' })
    expect(completion.completion?.logTail).toContain('ignoring SIGTERM')
    expect(Number(completion.completion?.wallMs)).toBeGreaterThanOrEqual(1000)
    expect(Number(completion.completion?.gpuSeconds)).toBeGreaterThanOrEqual(4)
    expect(isAlive(pid)).toBe(false)
  })

  it('stops a run the registry gave away (lost) without reporting it, and says when its process is gone', async () => {
    const { registry, agent, logs } = await startAgentPair()
    let completed = 0
    agent.events.on('completed', () => completed++)
    const ended: string[] = []
    agent.events.on('ended', ({ assignmentId }) => ended.push(assignmentId))
    registry.assign(nodeJob('asg_lost', printsPid, { epoch: '2' }))
    const progress = await registry.waitFor(
      (m) => about('progress', 'asg_lost')(m) && /pid \d+/.test(m.progress?.logTail ?? ''),
    )
    const pid = pidFrom(progress.progress?.logTail)
    registry.cancel({ assignmentId: 'asg_lost', reason: 'lost', graceS: 1 })
    expect(await waitUntil(() => !isAlive(pid))).toBe(true)
    expect(await waitUntil(() => logs().some((l) => l.msg.includes('not reported (given away)')))).toBe(true)
    // Its GPUs are the node's again: the 'ended' event says so, though no completion does.
    expect(ended).toEqual(['asg_lost'])
    const reregistered = new Promise((resolve) => agent.events.once('registered', resolve))
    registry.dropStreams()
    await reregistered
    expect(registry.streams[1]?.messages[0]?.register?.running).toEqual([])
    expect(registry.streams.flatMap((s) => s.messages).filter(about('completion', 'asg_lost'))).toEqual([])
    expect(completed).toBe(0)
  })

  it('ignores a cancel for an assignment it does not run, and keeps serving', async () => {
    const { registry, logs } = await startAgentPair()
    registry.cancel({ assignmentId: 'asg_unknown', reason: 'cancelled', graceS: 5 })
    expect(
      await waitUntil(() => logs().some((l) => l.level === 20 && l.msg.includes('not running; ignored'))),
    ).toBe(true)
    registry.assign(nodeJob('asg_next', 'process.exit(0)'))
    expect((await registry.waitFor(about('completion', 'asg_next'))).completion?.exitCode).toBe(0)
  })

  it('gives a run 10 s by default and never more than 60 s', async () => {
    const { registry, logs } = await startAgentPair()
    registry.assign(nodeJob('asg_g1', 'setInterval(() => {}, 1000)'))
    registry.assign(nodeJob('asg_g2', 'setInterval(() => {}, 1000)', { gpuIndexes: [1] }))
    await registry.waitFor(about('progress', 'asg_g2'))
    registry.cancel({ assignmentId: 'asg_g1', reason: 'cancelled', graceS: 0 })
    registry.cancel({ assignmentId: 'asg_g2', reason: 'cancelled', graceS: 3600 })
    await registry.waitFor(about('completion', 'asg_g1'))
    await registry.waitFor(about('completion', 'asg_g2'))
    const graces = logs()
      .filter((l) => l.msg.startsWith('registry cancelled the assignment'))
      .map((l) => (l as unknown as { graceMs: number }).graceMs)
    expect(graces).toEqual([10_000, 60_000])
  })
})

describe('completions written just before a stream broke', () => {
  const completionsOf = (
    stream: { messages: { body?: string; completion?: { assignmentId: string } | null }[] } | undefined,
  ) => stream?.messages.filter((m) => m.body === 'completion').map((m) => m.completion?.assignmentId)

  it('are sent again on the next stream when the connection broke in transit', async () => {
    const { registry, agent } = await startAgentPair()
    registry.assign(nodeJob('asg_transit', 'process.exit(0)', { epoch: '6' }))
    await registry.waitFor(about('completion', 'asg_transit'))
    const reregistered = new Promise((resolve) => agent.events.once('registered', resolve))
    registry.dropStreams()
    await reregistered
    const again = await registry.waitFor(
      (m, stream) => stream === registry.streams[1] && about('completion', 'asg_transit')(m),
    )
    expect(again.completion).toMatchObject({ exitCode: 0, epoch: '6' })
    expect(registry.streams[1]?.messages[0]?.register?.running).toEqual([
      { assignmentId: 'asg_transit', epoch: '6' },
    ])
  })

  it('are not sent again when the registry ended the stream on purpose (it judged them)', async () => {
    const { registry, agent } = await startAgentPair()
    registry.assign(nodeJob('asg_judged', 'process.exit(0)'))
    await registry.waitFor(about('completion', 'asg_judged'))
    const reregistered = new Promise((resolve) => agent.events.once('registered', resolve))
    registry.endStreams(grpc.status.FAILED_PRECONDITION, 'report of an older epoch')
    await reregistered
    await registry.waitFor((m, stream) => stream === registry.streams[1] && m.body === 'heartbeat')
    expect(completionsOf(registry.streams[1])).toEqual([])
    expect(registry.streams[1]?.messages[0]?.register?.running).toEqual([])
  })
})
