import { EventEmitter } from 'node:events'
import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type {
  AgentMessage__Output,
  Assignment,
  ControlMessage,
  RegistryServiceHandlers,
} from '@idlegrid/proto/registry'

/**
 * A real grpc-js server speaking RegistryService.Connect on a free port, with
 * just enough registry behaviour for the agent's protocol: it hands out node
 * ids, answers Register with Registered, records every message per stream,
 * and lets the test push assignments and break streams.
 */
export interface FakeStream {
  call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>
  messages: AgentMessage__Output[]
  ended: boolean
}

export interface FakeRegistry {
  address: string
  streams: FakeStream[]
  /** Waits for the first message (on any stream, past or future) that matches. */
  waitFor(
    match: (message: AgentMessage__Output, stream: FakeStream) => boolean,
    timeoutMs?: number,
  ): Promise<AgentMessage__Output & { stream: FakeStream }>
  assign(assignment: Assignment): void
  /** Breaks every open stream with UNAVAILABLE, as a registry crash would. */
  dropStreams(): void
  /** While held, Register messages go unanswered until release(). */
  holdRegistrations(): void
  releaseRegistrations(): void
  close(): Promise<void>
}

export async function startFakeRegistry({ heartbeatIntervalMs = 100 } = {}): Promise<FakeRegistry> {
  const protos = loadProtos()
  const server = new grpc.Server()
  const streams: FakeStream[] = []
  const arrivals = new EventEmitter()
  const held: { stream: FakeStream; nodeId: string }[] = []
  let holding = false
  let nodeCount = 0

  const answer = (stream: FakeStream, nodeId: string) =>
    stream.call.write({ registered: { nodeId, heartbeatIntervalMs } })

  const handlers: RegistryServiceHandlers = {
    Connect(call) {
      const stream: FakeStream = { call, messages: [], ended: false }
      streams.push(stream)
      call.on('data', (message: AgentMessage__Output) => {
        stream.messages.push(message)
        if (message.body === 'register') {
          const nodeId = message.register?.nodeId || `node_${++nodeCount}`
          if (holding) held.push({ stream, nodeId })
          else answer(stream, nodeId)
        }
        arrivals.emit('message')
      })
      call.on('end', () => {
        stream.ended = true
        arrivals.emit('message')
        call.end()
      })
      call.on('error', () => {})
    },
    ListNodes: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
    ReserveGpus: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
  }
  server.addService(protos.idlegrid.registry.v1.RegistryService.service, handlers)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  )

  const find = (match: (message: AgentMessage__Output, stream: FakeStream) => boolean) => {
    for (const stream of streams) {
      for (const message of stream.messages) if (match(message, stream)) return { ...message, stream }
    }
    return undefined
  }
  const open = () => streams.filter((stream) => !stream.ended && !stream.call.cancelled)

  return {
    address: `127.0.0.1:${port}`,
    streams,
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find(match)
          if (!found) return
          clearTimeout(timer)
          arrivals.off('message', check)
          resolve(found)
        }
        const timer = setTimeout(() => {
          arrivals.off('message', check)
          reject(new Error('the fake registry did not receive the expected message in time'))
        }, timeoutMs)
        arrivals.on('message', check)
        check()
      })
    },
    assign(assignment) {
      const stream = open().at(-1)
      if (!stream) throw new Error('no agent is connected')
      stream.call.write({ assignment })
    },
    dropStreams() {
      for (const stream of open()) {
        stream.ended = true
        stream.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'registry restarting' })
      }
    },
    holdRegistrations() {
      holding = true
    },
    releaseRegistrations() {
      holding = false
      for (const { stream, nodeId } of held.splice(0)) answer(stream, nodeId)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown()
        resolve()
      }),
  }
}
