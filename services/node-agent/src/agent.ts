import { EventEmitter } from 'node:events'
import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type {
  AgentMessage,
  Assignment__Output,
  Completion,
  ControlMessage__Output,
  NodeInventory,
  RegistryServiceClient,
} from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import packageJson from '../package.json' with { type: 'json' }
import { type BackoffOptions, createBackoff } from './backoff.js'
import { describeNode } from './inventory.js'
import { type RunningProcess, runAssignment } from './run-assignment.js'
import type { SimulatedGpuGroup } from './simulated-gpus.js'

/**
 * The agent holds ONE Connect stream to the registry: Register first, then
 * heartbeats, acks, progress and completions up; assignments down. When the
 * stream breaks it reconnects with backoff and resumes as the same node;
 * completions it could not send wait for the next stream. Jobs keep running
 * while it is disconnected.
 */
export interface AgentConfig {
  /** host:port of the registry's gRPC endpoint. */
  registry: string
  providerId: string
  region: string
  /** Asking price per GPU-hour, integer micros of USD as a decimal string. */
  pricePerGpuHourMicros: string
  /** Reported as the inventory's hostname. */
  nodeName: string
  /** Declare these GPUs instead of detecting real ones. */
  simulateGpus?: SimulatedGpuGroup[] | undefined
  progressIntervalMs?: number
  /** SIGTERM → SIGKILL grace for a job being stopped. */
  killGraceMs?: number
  reconnect?: Partial<BackoffOptions>
  /** Give up on a stream that has not been answered with Registered after this long. */
  registerTimeoutMs?: number
}

export interface AgentDeps {
  logger: Logger
  /** Replaces GPU discovery (tests); defaults to nvidia-smi or the simulated GPUs. */
  describeNode?: () => Promise<NodeInventory>
}

/** A finished assignment as the agent reported (or will report) it. */
export interface CompletionReport {
  assignmentId: string
  jobId: string
  exitCode: number
  wallMs: number
  gpuSeconds: number
  logTail: string
  error: string
}

export interface AgentEvents {
  registered: [{ nodeId: string; heartbeatIntervalMs: number; reconnected: boolean }]
  disconnected: [{ reason: string }]
  assignment: [Assignment__Output]
  completed: [CompletionReport]
}

export interface Agent {
  start(): Promise<void>
  stop(): Promise<void>
  nodeId(): string | undefined
  readonly events: EventEmitter<AgentEvents>
}

export const AGENT_VERSION: string = packageJson.version
const DEFAULT_HEARTBEAT_MS = 5_000
const STREAM_CLOSE_TIMEOUT_MS = 2_000
/** Finished assignments remembered so a re-delivered one is answered, not run twice. */
const REMEMBERED_COMPLETIONS = 256

interface Link {
  call: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>
  registered: boolean
}

export function createAgent(config: AgentConfig, deps: AgentDeps): Agent {
  const { logger } = deps
  const events = new EventEmitter<AgentEvents>()
  const backoff = createBackoff(config.reconnect)
  const running = new Map<string, { job: RunningProcess; reported: Promise<void> }>()
  const undelivered = new Map<string, Completion>()
  const remembered = new Map<string, Completion>()
  let inventory: NodeInventory | undefined
  let client: RegistryServiceClient | undefined
  let link: Link | undefined
  let nodeId: string | undefined
  let heartbeatSequence = 0
  let heartbeatTimer: NodeJS.Timeout | undefined
  let reconnectTimer: NodeJS.Timeout | undefined
  let registerTimer: NodeJS.Timeout | undefined
  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  const send = (message: AgentMessage): boolean => {
    if (!link?.registered) return false
    link.call.write(message)
    return true
  }

  const openStream = () => {
    if (stopping || !client || !inventory) return
    const call = client.Connect()
    const current: Link = { call, registered: false }
    link = current
    call.on('data', (message: ControlMessage__Output) => onControl(current, message))
    call.on('error', (err: grpc.ServiceError) =>
      streamDown(current, `${grpc.status[err.code]}: ${err.details}`),
    )
    call.on('end', () => streamDown(current, 'the registry closed the stream'))
    const timeoutMs = config.registerTimeoutMs ?? 10_000
    registerTimer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'registry did not answer Register in time; reconnecting')
      call.cancel()
    }, timeoutMs)
    call.write({
      register: {
        providerId: config.providerId,
        nodeId: nodeId ?? '',
        inventory,
        pricePerGpuHourMicros: config.pricePerGpuHourMicros,
        agentVersion: AGENT_VERSION,
      },
    })
  }

  const streamDown = (down: Link, reason: string) => {
    if (link !== down) return
    link = undefined
    clearTimeout(registerTimer)
    clearInterval(heartbeatTimer)
    down.call.cancel()
    events.emit('disconnected', { reason })
    if (stopping) return
    const delayMs = backoff.next()
    logger.warn(
      { reason, retryInMs: delayMs, registry: config.registry },
      'registry stream down; reconnecting',
    )
    reconnectTimer = setTimeout(openStream, delayMs)
  }

  const onControl = (current: Link, message: ControlMessage__Output) => {
    if (message.body === 'registered' && message.registered) {
      clearTimeout(registerTimer)
      const reconnected = nodeId !== undefined
      if (nodeId && message.registered.nodeId !== nodeId) {
        logger.warn({ previous: nodeId, now: message.registered.nodeId }, 'registry gave this node a new id')
      }
      nodeId = message.registered.nodeId
      current.registered = true
      backoff.reset()
      const heartbeatIntervalMs = Math.max(
        100,
        message.registered.heartbeatIntervalMs || DEFAULT_HEARTBEAT_MS,
      )
      clearInterval(heartbeatTimer)
      heartbeatTimer = setInterval(
        () => send({ heartbeat: { sequence: ++heartbeatSequence } }),
        heartbeatIntervalMs,
      )
      for (const [assignmentId, completion] of undelivered) {
        if (send({ completion })) undelivered.delete(assignmentId)
      }
      logger.info({ nodeId, heartbeatIntervalMs, reconnected }, 'registered with the registry')
      events.emit('registered', { nodeId, heartbeatIntervalMs, reconnected })
    } else if (message.body === 'assignment' && message.assignment) {
      onAssignment(message.assignment)
    }
  }

  const onAssignment = (assignment: Assignment__Output) => {
    const { assignmentId, jobId, gpuIndexes, spec } = assignment
    if (stopping || assignmentId === '') return
    send({ ack: { assignmentId } })
    if (running.has(assignmentId) || undelivered.has(assignmentId)) return
    const finished = remembered.get(assignmentId)
    if (finished) {
      send({ completion: finished })
      return
    }
    const known = new Set(inventory?.gpus?.map((gpu) => gpu.index))
    const unknown = gpuIndexes.filter((index) => !known.has(index))
    if (unknown.length > 0) {
      logger.warn({ assignmentId, unknown }, 'assignment names GPUs this node does not have')
    }
    events.emit('assignment', assignment)
    const job = runAssignment(
      {
        jobId,
        command: spec?.command ?? [],
        env: spec?.env ?? {},
        gpuIndexes,
        maxDurationS: spec?.maxDurationS ?? 0,
        progressIntervalMs: config.progressIntervalMs ?? 1000,
        killGraceMs: config.killGraceMs ?? 5000,
      },
      {
        onProgress: ({ sequence, elapsedMs, logTail }) =>
          send({ progress: { assignmentId, sequence, elapsedMs, logTail } }),
      },
    )
    logger.info({ assignmentId, jobId, gpuIndexes, pid: job.pid, command: spec?.command }, 'job started')
    const reported = job.result.then((result) => {
      running.delete(assignmentId)
      const completion: Completion = { assignmentId, ...result }
      remember(completion)
      if (!send({ completion })) undelivered.set(assignmentId, completion)
      logger.info({ assignmentId, jobId, ...result, logTail: undefined }, 'job finished')
      events.emit('completed', { assignmentId, jobId, ...result })
    })
    running.set(assignmentId, { job, reported })
  }

  const remember = (completion: Completion) => {
    remembered.set(completion.assignmentId ?? '', completion)
    for (const key of remembered.keys()) {
      if (remembered.size <= REMEMBERED_COMPLETIONS) break
      remembered.delete(key)
    }
  }

  const closeStream = (closing: Link) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        closing.call.cancel()
        resolve()
      }, STREAM_CLOSE_TIMEOUT_MS)
      closing.call.once('status', () => {
        clearTimeout(timer)
        resolve()
      })
      closing.registered = false
      closing.call.end()
    })

  return {
    events,
    nodeId: () => nodeId,
    start() {
      if (starting) return starting
      starting = (async () => {
        inventory = await (
          deps.describeNode ??
          (() =>
            describeNode({
              nodeName: config.nodeName,
              region: config.region,
              simulateGpus: config.simulateGpus,
              logger,
            }))
        )()
        if (stopping) return
        const protos = loadProtos()
        client = new protos.idlegrid.registry.v1.RegistryService(
          config.registry,
          grpc.credentials.createInsecure(),
        )
        logger.info(
          { registry: config.registry, gpus: inventory.gpus?.length ?? 0 },
          'connecting to the registry',
        )
        openStream()
      })()
      return starting
    },
    stop() {
      stopping ??= (async () => {
        clearTimeout(reconnectTimer)
        await starting?.catch(() => {})
        const inFlight = [...running.values()]
        for (const { job } of inFlight) job.kill('agent stopped')
        // Report the killed jobs before the stream closes, so the registry can reschedule them.
        await Promise.all(inFlight.map(({ reported }) => reported))
        clearInterval(heartbeatTimer)
        clearTimeout(registerTimer)
        if (link) await closeStream(link)
        link = undefined
        client?.close()
        if (undelivered.size > 0)
          logger.warn({ count: undelivered.size }, 'stopped with unreported completions')
      })()
      return stopping
    },
  }
}
