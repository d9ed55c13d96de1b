import { grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type {
  AgentMessage,
  Assignment__Output,
  ControlMessage__Output,
  RegistryServiceClient,
} from '@idlegrid/proto/registry'
import {
  type AssignmentTally,
  type BenchNode,
  benchRegistration,
  type LoadCommand,
  type LoadReport,
  now,
  type Receipt,
} from './protocol.js'

/**
 * A load process of the agent-stream benchmarks (forked by bench/registry.ts
 * and bench/placement.ts). It holds its share of the agent streams as
 * lightweight raw streams, not full agents: credential metadata, the node's
 * Register, a heartbeat every interval at a random phase, and for each
 * assignment the receipt time sent to the driver and an ack sent back at once.
 * With `runMs`, each assignment is completed that long after it arrived (no
 * process is run), which frees its GPUs. Each stream checks what it is sent:
 * an assignment naming a GPU that a running assignment of the node still
 * holds is counted as double-booked. Streams that end are counted, never
 * reopened: the benchmark reports them.
 */
const TICK_MS = 100
const RECEIPT_FLUSH_MS = 50
const RAMP_BATCH_TIMEOUT_MS = 60_000

interface Stream {
  nodeId: string
  call: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>
  registered: boolean
  open: boolean
  sequence: number
  gpuCount: number
  /** GPU index → the assignment running on it. */
  busy: Map<number, string>
  /** Assignments this node has received, to tell a redelivery from a new one. */
  seen: Set<string>
}

const report = (message: LoadReport) => process.send?.(message)
const streams: Stream[] = []
const clients: RegistryServiceClient[] = []
const timers = new Set<NodeJS.Timeout>()
let ticker: NodeJS.Timeout | undefined
let progressTimer: NodeJS.Timeout | undefined
let receiptTimer: NodeJS.Timeout | undefined
let registered = 0
let failed = 0
let ended = 0
let lastError = ''
let settleBatch: (() => void) | undefined
let pendingInBatch = 0
let receipts: Receipt[] = []
const tally: AssignmentTally = { assignments: 0, redelivered: 0, doubleBooked: 0, completed: 0 }

function heartbeatSlots(heartbeatMs: number): Stream[][] {
  return Array.from({ length: Math.max(1, Math.round(heartbeatMs / TICK_MS)) }, () => [])
}

function flushReceipts() {
  if (receipts.length === 0) return
  report({ type: 'received', receipts })
  receipts = []
}

function onAssignment(stream: Stream, assignment: Assignment__Output, runMs: number | undefined) {
  const at = now()
  const { assignmentId, jobId, epoch, gpuIndexes } = assignment
  if (stream.seen.has(assignmentId)) {
    tally.redelivered++
    stream.call.write({ ack: { assignmentId, epoch } })
    return
  }
  stream.seen.add(assignmentId)
  tally.assignments++
  receipts.push({ jobId, assignmentId, nodeId: stream.nodeId, at })
  for (const index of gpuIndexes) {
    if (stream.busy.has(index)) tally.doubleBooked++
    stream.busy.set(index, assignmentId)
  }
  stream.call.write({ ack: { assignmentId, epoch } })
  if (runMs === undefined) return
  const timer = setTimeout(() => {
    timers.delete(timer)
    if (!stream.open) return
    for (const index of gpuIndexes) if (stream.busy.get(index) === assignmentId) stream.busy.delete(index)
    // What a real agent reports for a run of runMs: whole seconds rounded up, times its GPUs.
    const gpuSeconds = Math.ceil(runMs / 1000) * gpuIndexes.length
    stream.call.write({
      completion: { assignmentId, exitCode: 0, wallMs: runMs, gpuSeconds, logTail: '', error: '', epoch },
    })
    tally.completed++
  }, runMs)
  timers.add(timer)
}

function openStream(
  client: RegistryServiceClient,
  node: BenchNode,
  index: number,
  slots: Stream[][],
  runMs: number | undefined,
) {
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${node.token}`)
  const register = node.register ?? benchRegistration(index)
  const stream: Stream = {
    nodeId: node.nodeId,
    call: client.Connect(metadata),
    registered: false,
    open: true,
    sequence: 0,
    gpuCount: register.inventory?.gpus?.length ?? 1,
    busy: new Map(),
    seen: new Set(),
  }
  streams.push(stream)
  const settled = () => {
    if (--pendingInBatch === 0) settleBatch?.()
  }
  const down = (why: string) => {
    if (!stream.open) return
    stream.open = false
    lastError = why
    if (stream.registered) ended++
    else {
      failed++
      settled()
    }
  }
  stream.call.on('data', (message: ControlMessage__Output) => {
    if (message.body === 'registered') {
      if (stream.registered) return
      stream.registered = true
      registered++
      // A random phase, as independent agents started at different moments would have.
      slots[Math.floor(Math.random() * slots.length)]!.push(stream)
      settled()
    } else if (message.body === 'assignment' && message.assignment) {
      onAssignment(stream, message.assignment, runMs)
    }
  })
  stream.call.on('error', (err: grpc.ServiceError) => down(`${grpc.status[err.code]}: ${err.details}`))
  stream.call.on('end', () => down('the server ended the stream'))
  stream.call.write({ register })
}

async function start(command: Extract<LoadCommand, { type: 'start' }>) {
  const began = now()
  const protos = loadProtos()
  for (let i = 0; i < command.connections; i++) {
    // A local subchannel pool makes each client its own HTTP/2 connection.
    clients.push(
      new protos.idlegrid.registry.v1.RegistryService(command.target, grpc.credentials.createInsecure(), {
        'grpc.use_local_subchannel_pool': 1,
      }),
    )
  }
  const slots = heartbeatSlots(command.heartbeatMs)
  let tick = 0
  ticker = setInterval(() => {
    const due = slots[tick++ % slots.length]!
    for (const stream of due) {
      if (!stream.open) continue
      stream.call.write({
        heartbeat: {
          sequence: String(++stream.sequence),
          gpus: Array.from({ length: stream.gpuCount }, (_, index) => ({
            index,
            utilizationPct: stream.busy.has(index) ? 100 : 0,
            memoryUsedMib: 0,
            temperatureC: 40,
          })),
        },
      })
    }
  }, TICK_MS)
  progressTimer = setInterval(
    () => report({ type: 'progress', registered, failed, ended, lastError, tally: { ...tally } }),
    1000,
  )
  receiptTimer = setInterval(flushReceipts, RECEIPT_FLUSH_MS)

  for (let offset = 0; offset < command.nodes.length; offset += command.batch) {
    const batch = command.nodes.slice(offset, offset + command.batch)
    pendingInBatch = batch.length
    const done = new Promise<void>((resolve) => {
      settleBatch = resolve
    })
    batch.forEach((node, i) => {
      openStream(clients[(offset + i) % clients.length]!, node, offset + i, slots, command.runMs)
    })
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, RAMP_BATCH_TIMEOUT_MS).unref())
    await Promise.race([done, timeout])
  }
  report({ type: 'ramped', registered, failed, ms: Math.round(now() - began) })
}

async function stop() {
  clearInterval(ticker)
  clearInterval(progressTimer)
  clearInterval(receiptTimer)
  for (const timer of timers) clearTimeout(timer)
  flushReceipts()
  report({ type: 'progress', registered, failed, ended, lastError, tally: { ...tally } })
  for (const stream of streams) {
    stream.open = false
    stream.call.cancel()
  }
  for (const client of clients) client.close()
  report({ type: 'stopped' })
  // Let the IPC message leave before the process goes.
  setTimeout(() => process.exit(0), 100)
}

process.on('message', (command: LoadCommand) => {
  if (command.type === 'start') void start(command)
  else if (command.type === 'stop') void stop()
})
// The driver went away: nothing is left to measure for.
process.on('disconnect', () => process.exit(0))
