import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type {
  AgentMessage,
  ControlMessage__Output,
  Register,
  Registered__Output,
  RegistryServiceClient,
} from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import { type BackoffOptions, createBackoff } from './backoff.js'
import { bearer, type NodeCredential } from './credential.js'

/**
 * The agent's one Connect stream: opened with the node credential as
 * `authorization` metadata, Register first, Registered back; when it breaks,
 * reopened with capped backoff, and no more than once a minute while the
 * registry refuses the credential (a revoked node must not hammer it).
 */
export interface ReconnectOptions extends BackoffOptions {
  /** The least wait after the registry refused the credential. */
  authRetryMs: number
}

export interface StreamDown {
  reason: string
  /** The registry refused the credential (UNAUTHENTICATED or PERMISSION_DENIED). */
  credentialRefused: boolean
  /** The stream broke in transit: messages written just before may not have arrived. */
  mayHaveLost: boolean
}

export interface LinkOptions {
  registry: string
  channelCredentials: grpc.ChannelCredentials
  credential: NodeCredential
  reconnect?: Partial<ReconnectOptions> | undefined
  registerTimeoutMs?: number | undefined
  logger: Logger
  /** Built fresh for each stream, so it lists what runs now. */
  register: () => Register
  onRegistered: (registered: Registered__Output) => void
  onControl: (message: ControlMessage__Output) => void
  onDown: (down: StreamDown) => void
}

export interface RegistryLink {
  open(): void
  /** Writes to the current stream if it is registered; false when there is none. */
  send(message: AgentMessage): boolean
  close(): Promise<void>
}

const STREAM_CLOSE_TIMEOUT_MS = 2_000
const DEFAULT_AUTH_RETRY_MS = 60_000
/** Codes that mean the registry judged a message or the node, not that the connection broke. */
const VERDICTS = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.ALREADY_EXISTS,
  grpc.status.PERMISSION_DENIED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.UNAUTHENTICATED,
  grpc.status.UNIMPLEMENTED,
])

interface Stream {
  call: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>
  registered: boolean
}

export function createRegistryLink(options: LinkOptions): RegistryLink {
  const { logger, credential } = options
  const backoff = createBackoff(options.reconnect)
  const authRetryMs = options.reconnect?.authRetryMs ?? DEFAULT_AUTH_RETRY_MS
  const protos = loadProtos()
  const client: RegistryServiceClient = new protos.idlegrid.registry.v1.RegistryService(
    options.registry,
    options.channelCredentials,
  )
  let current: Stream | undefined
  let reconnectTimer: NodeJS.Timeout | undefined
  let registerTimer: NodeJS.Timeout | undefined
  let closing = false

  const open = () => {
    if (closing) return
    const metadata = new grpc.Metadata()
    metadata.set('authorization', bearer(credential))
    const stream: Stream = { call: client.Connect(metadata), registered: false }
    current = stream
    stream.call.on('data', (message: ControlMessage__Output) => onData(stream, message))
    stream.call.on('error', (err: grpc.ServiceError) => down(stream, err.code, err.details || err.message))
    stream.call.on('end', () => down(stream, grpc.status.OK, 'the registry closed the stream'))
    const timeoutMs = options.registerTimeoutMs ?? 10_000
    registerTimer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'registry did not answer Register in time; reconnecting')
      stream.call.cancel()
    }, timeoutMs)
    stream.call.write({ register: options.register() })
  }

  const onData = (stream: Stream, message: ControlMessage__Output) => {
    if (current !== stream) return
    if (message.body === 'registered' && message.registered) {
      clearTimeout(registerTimer)
      stream.registered = true
      backoff.reset()
      options.onRegistered(message.registered)
    } else if (stream.registered) {
      options.onControl(message)
    }
  }

  const down = (stream: Stream, code: grpc.status, details: string) => {
    if (current !== stream) return
    current = undefined
    clearTimeout(registerTimer)
    stream.call.cancel()
    const credentialRefused = code === grpc.status.UNAUTHENTICATED || code === grpc.status.PERMISSION_DENIED
    const reason = `${grpc.status[code]}: ${details}`
    options.onDown({ reason, credentialRefused, mayHaveLost: stream.registered && !VERDICTS.has(code) })
    if (closing) return
    const delayMs = credentialRefused ? Math.max(authRetryMs, backoff.next()) : backoff.next()
    if (credentialRefused) {
      logger.error(
        { nodeId: credential.nodeId, registry: options.registry, retryInMs: delayMs },
        `the registry refused this node's credential: ${details} — enrol the node again ` +
          '(idlegrid nodes add <name>, or POST /v1/nodes) and restart the agent with the new --token',
      )
    } else {
      logger.warn(
        { reason, retryInMs: delayMs, registry: options.registry },
        'registry stream down; reconnecting',
      )
    }
    reconnectTimer = setTimeout(open, delayMs)
  }

  const closeStream = (stream: Stream) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        stream.call.cancel()
        resolve()
      }, STREAM_CLOSE_TIMEOUT_MS)
      stream.call.once('status', () => {
        clearTimeout(timer)
        resolve()
      })
      stream.registered = false
      stream.call.end()
    })

  return {
    open,
    send(message) {
      if (!current?.registered) return false
      current.call.write(message)
      return true
    },
    async close() {
      closing = true
      clearTimeout(reconnectTimer)
      clearTimeout(registerTimer)
      const last = current
      current = undefined
      if (last) await closeStream(last)
      client.close()
    },
  }
}
