import { EventEmitter } from 'node:events'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  AgentMessage,
  Assignment__Output,
  CancelAssignment__Output,
  ControlMessage__Output,
  GpuStats,
  NodeInventory,
} from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import packageJson from '../package.json' with { type: 'json' }
import { type ContainerRuntimeChoice, type ContainerTool, resolveContainerRuntime } from './container.js'
import { parseNodeToken } from './credential.js'
import { createGpuStatsSampler, type GpuStatsSampler, statsOf } from './gpu-stats.js'
import { describeNode, NoGpusError } from './inventory.js'
import { type CompletionReport, createJobBook } from './job-book.js'
import { AGENT_STOPPED } from './job-files.js'
import { planLaunch } from './job-launch.js'

export type { CompletionReport }

import { stopOrphans } from './recovery.js'
import { createRegistryLink, type ReconnectOptions, type RegistryLink } from './registry-link.js'
import type { SimulatedGpuGroup } from './simulated-gpus.js'
import { openStateStore, type StateStore } from './state-store.js'
import { channelCredentials, type TlsFiles } from './tls.js'

/**
 * The agent holds ONE Connect stream to the registry (see registry-link):
 * Register first, then heartbeats with GPU stats, acks, progress and
 * completions up; assignments and cancellations down. Jobs keep running
 * while it is disconnected; what they report waits for the next stream, and
 * what must survive the agent itself is kept in its state directory.
 */
export interface AgentConfig {
  /** host:port of the registry's gRPC endpoint. */
  registry: string
  /** The node token from enrolment, `<node id>.<secret>`; the node id comes from it. */
  token: string
  /** Informational: the registry takes the provider from the token. */
  providerId?: string | undefined
  region: string
  /** ISO 3166-1 alpha-2; "" when not declared. */
  country?: string | undefined
  /** Asking price per GPU-hour, integer micros of USD as a decimal string. */
  pricePerGpuHourMicros: string
  /** Reported as the inventory's hostname. */
  nodeName: string
  bandwidthUpMbps?: number | undefined
  bandwidthDownMbps?: number | undefined
  /** Declare these GPUs instead of detecting real ones. */
  simulateGpus?: SimulatedGpuGroup[] | undefined
  /** TLS towards the registry; plain text without. */
  tls?: TlsFiles | undefined
  /** Where running jobs and unsent completions are recorded; nothing survives a restart without it. */
  stateDir?: string | undefined
  /** How jobs with a container image run; 'auto' probes docker, then podman. */
  containerRuntime?: ContainerRuntimeChoice | undefined
  progressIntervalMs?: number
  /** SIGTERM → SIGKILL grace for a job being stopped (a cancel brings its own). */
  killGraceMs?: number
  reconnect?: Partial<ReconnectOptions>
  /** Give up on a stream that has not been answered with Registered after this long. */
  registerTimeoutMs?: number
}

export interface AgentDeps {
  logger: Logger
  /** Replaces GPU discovery (tests); defaults to nvidia-smi or the simulated GPUs. */
  describeNode?: () => Promise<NodeInventory>
  /** Replaces nvidia-smi sampling of real GPUs (tests). */
  queryGpuStats?: () => Promise<GpuStats[] | undefined>
  /** Replaces probing docker and podman (tests). */
  containerRuntime?: () => Promise<ContainerTool | undefined>
}

export interface AgentEvents {
  registered: [{ nodeId: string; heartbeatIntervalMs: number; reconnected: boolean }]
  disconnected: [{ reason: string; credentialRefused: boolean }]
  assignment: [Assignment__Output]
  cancelled: [{ assignmentId: string; reason: string }]
  completed: [CompletionReport]
  /** A run's process is gone (its GPUs are this node's again), reported or not (a run given away is not). */
  ended: [{ assignmentId: string }]
}

export interface Agent {
  start(): Promise<void>
  stop(): Promise<void>
  nodeId(): string | undefined
  readonly events: EventEmitter<AgentEvents>
}

export const AGENT_VERSION: string = packageJson.version
const DEFAULT_HEARTBEAT_MS = 5_000
const DEFAULT_CANCEL_GRACE_S = 10
const MAX_CANCEL_GRACE_S = 60

export function createAgent(config: AgentConfig, deps: AgentDeps): Agent {
  const { logger } = deps
  const credential = parseNodeToken(config.token)
  const events = new EventEmitter<AgentEvents>()
  const killGraceMs = config.killGraceMs ?? 5000
  /** Runs with files get a directory here, one per assignment; cleared when the agent starts. */
  const workRoot = join(config.stateDir ?? join(tmpdir(), 'idlegrid-agent'), 'work', credential.nodeId)
  let store: StateStore | undefined
  let link: RegistryLink | undefined
  const send = (message: AgentMessage) => link?.send(message) ?? false
  const book = createJobBook({
    logger,
    send,
    save: (state) => store?.save(state),
    onCompleted: (report) => events.emit('completed', report),
    onEnded: (assignmentId) => events.emit('ended', { assignmentId }),
  })
  let inventory: NodeInventory | undefined
  let runtime: ContainerTool | undefined
  let stats: GpuStatsSampler | undefined
  let nodeId: string | undefined
  let heartbeatSequence = 0
  let heartbeatTimer: NodeJS.Timeout | undefined
  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  const gpuStats = (indexes?: number[]) => {
    const all = stats?.current() ?? []
    return indexes ? statsOf(all, indexes) : all
  }

  const onRegistered = (registeredNodeId: string, intervalMs: number) => {
    const reconnected = nodeId !== undefined
    if (registeredNodeId !== credential.nodeId) {
      logger.warn(
        { token: credential.nodeId, registry: registeredNodeId },
        'registry names this node differently',
      )
    }
    nodeId = registeredNodeId
    const heartbeatIntervalMs = Math.max(100, intervalMs || DEFAULT_HEARTBEAT_MS)
    clearInterval(heartbeatTimer)
    heartbeatTimer = setInterval(() => {
      send({ heartbeat: { sequence: ++heartbeatSequence, gpus: gpuStats() } })
      stats?.refresh()
    }, heartbeatIntervalMs)
    book.flush()
    logger.info({ nodeId, heartbeatIntervalMs, reconnected }, 'registered with the registry')
    events.emit('registered', { nodeId, heartbeatIntervalMs, reconnected })
  }

  const onControl = (message: ControlMessage__Output) => {
    if (message.body === 'assignment' && message.assignment) onAssignment(message.assignment)
    else if (message.body === 'cancel' && message.cancel) onCancel(message.cancel)
  }

  const onAssignment = (assignment: Assignment__Output) => {
    const { assignmentId, jobId, gpuIndexes } = assignment
    const epoch = String(assignment.epoch || '0')
    if (stopping || assignmentId === '') return
    send({ ack: { assignmentId, epoch } })
    const verdict = book.redelivery(assignmentId, epoch)
    if (verdict === 'handled') return
    if (verdict !== 'new') {
      // The previous run is being stopped (the registry gave it away): start this one when it is gone.
      void verdict.then(() => onAssignment(assignment))
      return
    }
    const known = new Set(inventory?.gpus?.map((gpu) => gpu.index))
    const unknown = gpuIndexes.filter((index) => !known.has(index))
    if (unknown.length > 0) {
      logger.warn({ assignmentId, unknown }, 'assignment names GPUs this node does not have')
    }
    events.emit('assignment', assignment)
    const plan = planLaunch(assignment, {
      runtime,
      runtimeChoice: config.containerRuntime ?? 'auto',
      simulatedGpus: inventory?.simulated ?? false,
      progressIntervalMs: config.progressIntervalMs ?? 1000,
      killGraceMs,
      workRoot,
    })
    if ('refused' in plan) {
      logger.warn({ assignmentId, jobId, image: assignment.spec?.image, why: plan.refused }, 'job refused')
      book.refuse({ assignmentId, jobId, epoch, error: plan.refused })
      return
    }
    book.start(assignment, epoch, plan, { progressGpus: () => gpuStats(gpuIndexes) })
  }

  const onCancel = (cancel: CancelAssignment__Output) => {
    const { assignmentId, reason } = cancel
    const graceS = Math.min(MAX_CANCEL_GRACE_S, cancel.graceS || DEFAULT_CANCEL_GRACE_S)
    if (!book.cancel(assignmentId, reason, graceS * 1000)) {
      logger.debug({ assignmentId, reason }, 'cancel for an assignment this node is not running; ignored')
      return
    }
    events.emit('cancelled', { assignmentId, reason })
  }

  return {
    events,
    nodeId: () => nodeId,
    start() {
      if (starting) return starting
      starting = (async () => {
        const [described, tool] = await Promise.all([
          (
            deps.describeNode ??
            (() =>
              describeNode({
                nodeName: config.nodeName,
                region: config.region,
                country: config.country,
                bandwidthUpMbps: config.bandwidthUpMbps,
                bandwidthDownMbps: config.bandwidthDownMbps,
                simulateGpus: config.simulateGpus,
                logger,
              }))
          )(),
          (
            deps.containerRuntime ??
            (() => resolveContainerRuntime(config.containerRuntime ?? 'auto', logger))
          )(),
        ])
        // A node must offer a GPU: connecting without one would only be refused, again and again.
        if ((described.gpus ?? []).length === 0) throw new NoGpusError()
        inventory = described
        runtime = tool
        if (config.stateDir) {
          store = openStateStore(config.stateDir, credential.nodeId)
          let state: ReturnType<StateStore['load']> = { running: [], unsent: [] }
          try {
            state = store.load()
          } catch (err) {
            logger.error({ err, file: store.file }, 'state file unreadable; jobs it recorded are not stopped')
          }
          const orphans = await stopOrphans(state.running, { logger, graceMs: killGraceMs })
          book.restore([...state.unsent, ...orphans])
        }
        // What runs the last agent left behind fetched or wrote: their processes are stopped by now.
        await rm(workRoot, { recursive: true, force: true }).catch((err: unknown) =>
          logger.warn({ err, workRoot }, 'could not clear the work directory of earlier runs'),
        )
        if (stopping) return
        const gpus = inventory.gpus ?? []
        stats = createGpuStatsSampler({
          simulated: inventory.simulated ?? false,
          gpus,
          busy: () => book.busyGpus(),
          query: deps.queryGpuStats,
        })
        stats.refresh()
        link = createRegistryLink({
          registry: config.registry,
          channelCredentials: channelCredentials(config.tls),
          credential,
          reconnect: config.reconnect,
          registerTimeoutMs: config.registerTimeoutMs,
          logger,
          register: () => ({
            providerId: config.providerId ?? '',
            nodeId: credential.nodeId,
            inventory,
            pricePerGpuHourMicros: config.pricePerGpuHourMicros,
            agentVersion: AGENT_VERSION,
            running: book.runningForRegister(),
          }),
          onRegistered: (registered) => onRegistered(registered.nodeId, registered.heartbeatIntervalMs),
          onControl,
          onDown: ({ reason, credentialRefused, mayHaveLost }) => {
            clearInterval(heartbeatTimer)
            book.streamDown(mayHaveLost)
            events.emit('disconnected', { reason, credentialRefused })
          },
        })
        logger.info({ registry: config.registry, nodeId: credential.nodeId, gpus: gpus.length }, 'connecting')
        link.open()
      })()
      return starting
    },
    stop() {
      stopping ??= (async () => {
        await starting?.catch(() => {})
        // First no new work (the registry would otherwise place a job right back here), then
        // the runs stopped and reported interrupted before the stream closes, so they run elsewhere.
        link?.send({ leaving: { reason: AGENT_STOPPED } })
        await book.stopAll(AGENT_STOPPED)
        clearInterval(heartbeatTimer)
        await link?.close()
        book.warnUnsent()
        store?.release()
      })()
      return stopping
    },
  }
}
