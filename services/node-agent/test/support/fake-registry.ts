import { EventEmitter } from 'node:events'
import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type {
  AgentMessage__Output,
  Assignment,
  CancelAssignment,
  ControlMessage,
  RegistryServiceHandlers,
} from '@idlegrid/proto/registry'

/**
 * A real grpc-js server speaking RegistryService.Connect on a free port, with
 * just enough registry behaviour for the agent's protocol: it checks the
 * node credential (when given tokens to accept), answers Register with
 * Registered, records every message per stream, and lets the test push
 * assignments and cancellations, break streams and revoke the credential.
 * It can listen over TLS or mutual TLS.
 */
export interface FakeStream {
  call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>
  messages: AgentMessage__Output[]
  ended: boolean
  /** The `authorization` metadata the agent sent. */
  authorization: string
  /** Ended at once with UNAUTHENTICATED. */
  refused: boolean
}

export interface FakeRegistryOptions {
  heartbeatIntervalMs?: number
  /** Only these tokens are accepted; any credential when absent. */
  acceptTokens?: string[]
  /** Listen over TLS; `requireClientCert` makes it mutual TLS. */
  tls?: { ca: Buffer; cert: Buffer; key: Buffer; requireClientCert: boolean }
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
  cancel(cancel: CancelAssignment): void
  /**
   * Accepts only these tokens from now on (any when undefined); open streams
   * whose credential is no longer accepted end with UNAUTHENTICATED, as at revocation.
   */
  setAcceptedTokens(tokens: string[] | undefined): void
  /** Breaks every open stream with UNAVAILABLE, as a registry crash would. */
  dropStreams(): void
  /** Ends every open stream with this status, as a registry refusing a message would. */
  endStreams(code: grpc.status, details: string): void
  /** While held, Register messages go unanswered until release(). */
  holdRegistrations(): void
  releaseRegistrations(): void
  close(): Promise<void>
}

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const { heartbeatIntervalMs = 100 } = options
  let acceptTokens = options.acceptTokens
  const accepted = (authorization: string) =>
    acceptTokens === undefined || acceptTokens.some((token) => authorization === `Bearer ${token}`)
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
      const authorization = String(call.metadata.get('authorization')[0] ?? '')
      const refused = !accepted(authorization)
      const stream: FakeStream = { call, messages: [], ended: refused, authorization, refused }
      streams.push(stream)
      if (refused) {
        call.on('error', () => {})
        call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'this node credential was revoked' })
        arrivals.emit('message')
        return
      }
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
    ListNodes: unimplemented,
    ReserveGpus: unimplemented,
    ReserveGpusBatch: unimplemented,
    PreemptRuns: unimplemented,
    CancelJob: unimplemented,
    EnrollNode: unimplemented,
    RevokeNodeCredential: unimplemented,
    ListProviderNodes: unimplemented,
    SetNodePrice: unimplemented,
    SetNodeDraining: unimplemented,
    SetNodeQuarantine: unimplemented,
    SetNodeHours: unimplemented,
    GetAvailability: unimplemented,
  }
  server.addService(protos.idlegrid.registry.v1.RegistryService.service, handlers)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', serverCredentials(options.tls), (err, bound) =>
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

  const endStreams = (code: grpc.status, details: string) => {
    for (const stream of open()) {
      stream.ended = true
      stream.call.emit('error', { code, details })
    }
  }

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
    cancel(cancel) {
      const stream = open().at(-1)
      if (!stream) throw new Error('no agent is connected')
      stream.call.write({ cancel })
    },
    setAcceptedTokens(tokens) {
      acceptTokens = tokens
      for (const stream of open()) {
        if (accepted(stream.authorization)) continue
        stream.ended = true
        stream.call.emit('error', {
          code: grpc.status.UNAUTHENTICATED,
          details: 'this node credential was revoked',
        })
      }
    },
    dropStreams: () => endStreams(grpc.status.UNAVAILABLE, 'registry restarting'),
    endStreams,
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

const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake registry' })

function serverCredentials(tls: FakeRegistryOptions['tls']): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure()
  return grpc.ServerCredentials.createSsl(
    tls.ca,
    [{ cert_chain: tls.cert, private_key: tls.key }],
    tls.requireClientCert,
  )
}
