import { grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { AgentMessage, ControlMessage__Output, RegistryServiceClient } from '@idlegrid/proto/registry'
import { type BenchNode, benchRegistration, type LoadCommand, type LoadReport, now } from './protocol.js'

/**
 * A load process of the registry benchmark (forked by bench/registry.ts).
 * It holds its share of the agent streams as lightweight raw streams, not
 * full agents: credential metadata, a 1-GPU Register, a heartbeat every
 * interval at a random phase, and for each assignment the receipt time sent
 * to the driver and an ack sent back at once. Streams that end are counted,
 * never reopened: the benchmark reports them.
 */
const TICK_MS = 100
const RAMP_BATCH_TIMEOUT_MS = 60_000

interface Stream {
  call: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>
  registered: boolean
  open: boolean
  sequence: number
}

const report = (message: LoadReport) => process.send?.(message)
const streams: Stream[] = []
const clients: RegistryServiceClient[] = []
let ticker: NodeJS.Timeout | undefined
let progressTimer: NodeJS.Timeout | undefined
let registered = 0
let failed = 0
let ended = 0
let lastError = ''
let settleBatch: (() => void) | undefined
let pendingInBatch = 0

function heartbeatSlots(heartbeatMs: number): Stream[][] {
  return Array.from({ length: Math.max(1, Math.round(heartbeatMs / TICK_MS)) }, () => [])
}

function openStream(client: RegistryServiceClient, node: BenchNode, index: number, slots: Stream[][]) {
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${node.token}`)
  const stream: Stream = { call: client.Connect(metadata), registered: false, open: true, sequence: 0 }
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
      const at = now()
      const { assignmentId, jobId, epoch } = message.assignment
      report({ type: 'received', jobId, at })
      stream.call.write({ ack: { assignmentId, epoch } })
    }
  })
  stream.call.on('error', (err: grpc.ServiceError) => down(`${grpc.status[err.code]}: ${err.details}`))
  stream.call.on('end', () => down('the server ended the stream'))
  stream.call.write(benchRegistration(index))
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
          gpus: [{ index: 0, utilizationPct: 0, memoryUsedMib: 0, temperatureC: 40 }],
        },
      })
    }
  }, TICK_MS)
  progressTimer = setInterval(() => report({ type: 'progress', registered, failed, ended, lastError }), 1000)

  for (let offset = 0; offset < command.nodes.length; offset += command.batch) {
    const batch = command.nodes.slice(offset, offset + command.batch)
    pendingInBatch = batch.length
    const done = new Promise<void>((resolve) => {
      settleBatch = resolve
    })
    batch.forEach((node, i) => {
      openStream(clients[(offset + i) % clients.length]!, node, offset + i, slots)
    })
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, RAMP_BATCH_TIMEOUT_MS).unref())
    await Promise.race([done, timeout])
  }
  report({ type: 'ramped', registered, failed, ms: Math.round(now() - began) })
}

async function stop() {
  clearInterval(ticker)
  clearInterval(progressTimer)
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
