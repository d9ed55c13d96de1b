import { startDelayMs } from '@idlegrid/job-core'
import Type, { type Static } from 'typebox'

/**
 * The typed job catalog: every queue message in Idlegrid, its payload schema
 * and its delivery options. Producers and workers both derive from it, so a
 * payload that does not match its schema is refused before it reaches Redis.
 * Queue name = job name; one consumer service per queue.
 */

const Micros = Type.String({ pattern: '^-?\\d+$', description: 'integer amount in micros, as a string' })

export const JobSpecPayload = Type.Object({
  kind: Type.Union([Type.Literal('training'), Type.Literal('inference'), Type.Literal('render')]),
  command: Type.Array(Type.String(), { minItems: 1 }),
  env: Type.Record(Type.String(), Type.String()),
  gpus: Type.Object({
    count: Type.Integer({ minimum: 1 }),
    models: Type.Array(Type.String()),
    minVramMib: Type.Integer({ minimum: 0 }),
  }),
  maxPricePerGpuHourMicros: Micros,
  maxDurationS: Type.Integer({ minimum: 1 }),
  currency: Type.String(),
  image: Type.Optional(Type.String()),
  regions: Type.Array(Type.String()),
  excludedRegions: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  excludedCountries: Type.Array(Type.String()),
  excludedProviders: Type.Array(Type.String()),
  /** Never on these nodes; absent in messages written before it existed. */
  excludedNodes: Type.Optional(Type.Array(Type.String())),
  minComputeCapability: Type.String(),
  minCudaVersion: Type.String(),
  minDriverVersion: Type.String(),
  minReputation: Type.Number({ minimum: 0, maximum: 1 }),
  interruptible: Type.Boolean(),
  /** Gang placement: `nodes` distinct nodes at once, `gpus.count` GPUs on each. */
  nodes: Type.Integer({ minimum: 1 }),
  sameProvider: Type.Boolean(),
  priority: Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high')]),
  /** Files fetched into the run's input directory first; absent in messages written before it existed. */
  inputs: Type.Optional(
    Type.Array(
      Type.Object({ uri: Type.String(), path: Type.String(), sha256: Type.Optional(Type.String()) }),
    ),
  ),
  /** Where the run's output directory is PUT as a .tar.gz; absent: not kept. */
  outputUri: Type.Optional(Type.String()),
  /** Where the run's checkpoint directory is kept between runs (GET before, PUT during); absent: none. */
  checkpointUri: Type.Optional(Type.String()),
  /** Seconds between checkpoint saves (0 or absent: 300). */
  checkpointIntervalS: Type.Optional(Type.Integer({ minimum: 0 })),
  maxRetries: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Scheduled: not offered to matching before this instant (ISO 8601); absent: at once. */
  notBefore: Type.Optional(Type.String()),
  /** Cancelled if not placed within this many seconds of its submission (or notBefore). */
  maxWaitS: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type JobSpecPayload = Static<typeof JobSpecPayload>

const MatchJob = Type.Object({
  jobId: Type.String(),
  customerId: Type.String(),
  holdId: Type.String(),
  spec: JobSpecPayload,
  /** Set when the job is placed again because this placement (gang id) was lost or preempted. */
  requeuedFrom: Type.Optional(Type.String()),
})

const at = { at: Type.String() }
const Rank = Type.Object({
  rank: Type.Integer({ minimum: 0 }),
  nodeId: Type.String(),
  assignmentId: Type.String(),
  gpuIndexes: Type.Array(Type.Integer()),
  pricePerGpuHourMicros: Micros,
})
export type Rank = Static<typeof Rank>
const JobEvent = Type.Union([
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('placed'),
    ...at,
    /** Rank 0's node, GPUs and price; `ranks` lists every rank of a gang. */
    nodeId: Type.String(),
    /** The placement (gang) id: what later events of this run name. */
    assignmentId: Type.String(),
    gpuIndexes: Type.Array(Type.Integer()),
    pricePerGpuHourMicros: Micros,
    ranks: Type.Array(Rank),
  }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('waiting'),
    ...at,
    summary: Type.String(),
    rejections: Type.Array(Type.Object({ reason: Type.String(), nodes: Type.Integer() })),
  }),
  Type.Object({ jobId: Type.String(), type: Type.Literal('running'), ...at, assignmentId: Type.String() }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('progress'),
    ...at,
    assignmentId: Type.String(),
    sequence: Type.Integer(),
    elapsedMs: Type.Integer(),
    logTail: Type.String(),
  }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('completed'),
    ...at,
    assignmentId: Type.String(),
    exitCode: Type.Integer(),
    wallMs: Type.Integer(),
    gpuSeconds: Type.Integer(),
    logTail: Type.String(),
    error: Type.String(),
  }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('requeued'),
    ...at,
    assignmentId: Type.String(),
    nodeId: Type.String(),
    /** GPU-seconds the lost run delivered before its node was lost; billed at settlement. */
    deliveredGpuSeconds: Type.Integer({ minimum: 0 }),
    reason: Type.String(),
    /** reason "failed" (a retried failure, maxRetries): how the attempt ended. */
    failure: Type.Optional(
      Type.Object({ exitCode: Type.Integer(), error: Type.String(), logTail: Type.String() }),
    ),
  }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('cancelled'),
    ...at,
    /** GPU-seconds the runs stopped by the cancellation had delivered (billed). */
    deliveredGpuSeconds: Type.Integer({ minimum: 0 }),
    /** True when a settlement follows; false when nothing was delivered and the hold is voided. */
    settles: Type.Boolean(),
  }),
  Type.Object({
    jobId: Type.String(),
    type: Type.Literal('settled'),
    ...at,
    currency: Type.String(),
    chargedMicros: Micros,
    providerMicros: Micros,
    feeMicros: Micros,
    releasedMicros: Micros,
  }),
])
export type JobEvent = Static<typeof JobEvent>

const CapacityChanged = Type.Object({
  nodeId: Type.String(),
  /**
   * registered: a node came (back) online; freed: GPUs were released; admin: undrained, unquarantined,
   * repriced or its hours changed; hours: its provider's hours opened.
   */
  reason: Type.Union([
    Type.Literal('registered'),
    Type.Literal('freed'),
    Type.Literal('admin'),
    Type.Literal('hours'),
  ]),
})

/** Work one provider delivered for a job, at the price agreed when it was placed. */
const DeliveredWork = Type.Object({
  assignmentId: Type.String(),
  providerId: Type.String(),
  gpuSeconds: Type.Integer({ minimum: 0 }),
  pricePerGpuHourMicros: Micros,
})
export type DeliveredWork = Static<typeof DeliveredWork>

const SettleJob = Type.Object({
  jobId: Type.String(),
  holdId: Type.String(),
  /** The final placement (gang id). */
  assignmentId: Type.String(),
  /** Each rank of the final placement, rank 0 first. */
  finalRuns: Type.Array(DeliveredWork, { minItems: 1 }),
  /** Runs lost or preempted before the final placement; each provider is paid its delivered seconds. */
  earlierRuns: Type.Array(DeliveredWork),
})

const RenderStep = Type.Object({ renderJobId: Type.String() })

const VoidHold = Type.Object({ jobId: Type.String(), holdId: Type.String() })

/**
 * A node the registry declared lost (silent past its grace), or one that
 * connected while offline (back, or for the first time): its provider may
 * want to know.
 */
const NodeEvent = Type.Object({
  type: Type.Union([Type.Literal('node.offline'), Type.Literal('node.online')]),
  nodeId: Type.String(),
  providerId: Type.String(),
  /** When it was declared lost, or connected (ISO 8601). */
  at: Type.String(),
  /** Runs it had that were requeued elsewhere (lost with it, or forgotten by an agent that restarted). */
  runsRequeued: Type.Integer({ minimum: 0 }),
})
export type NodeEvent = Static<typeof NodeEvent>

/**
 * One event for one endpoint: a settled job (read when sent), a run of a
 * job that started or was requeued (the job read when sent), or a node
 * event (carried).
 */
const WebhookDelivery = Type.Object({
  endpointId: Type.String(),
  jobId: Type.Optional(Type.String()),
  run: Type.Optional(
    Type.Object({
      type: Type.Union([Type.Literal('job.running'), Type.Literal('job.requeued')]),
      /** The placement (gang id) that started, or that ended and was requeued. */
      gangId: Type.String(),
      /** job.requeued: why ("node_lost", "interrupted", "preempted", …). */
      reason: Type.Optional(Type.String()),
    }),
  ),
  node: Type.Optional(NodeEvent),
  /** job.refunded: an operator refunded the job (jobId) whole. */
  refund: Type.Optional(Type.Object({ refundedAt: Type.String() })),
  /** webhook_endpoint.disabled: another endpoint of the account was disabled, its deliveries failing for days. */
  disabledEndpoint: Type.Optional(
    Type.Object({
      endpointId: Type.String(),
      url: Type.String(),
      disabledAt: Type.String(),
      disabledReason: Type.String(),
    }),
  ),
  /** spend_limit.reached: a submission was refused by the account's monthly limit (one event a day per currency). */
  spendLimit: Type.Optional(
    Type.Object({
      currency: Type.String(),
      /** The UTC day it happened: the event's key, so a day of refusals tells each endpoint once. */
      day: Type.String(),
      monthlyLimitMicros: Type.Integer(),
      spentMicros: Type.Integer(),
      heldMicros: Type.Integer(),
      remainingMicros: Type.Integer(),
      monthStart: Type.String(),
    }),
  ),
  /** spend_limit.approaching: a job's hold took the month to its limit's alert share (one event a month per limit). */
  spendAlert: Type.Optional(
    Type.Object({
      currency: Type.String(),
      monthStart: Type.String(),
      monthlyLimitMicros: Type.Integer(),
      alertAtPercent: Type.Integer(),
      spentMicros: Type.Integer(),
      heldMicros: Type.Integer(),
    }),
  ),
})

const CancelDependent = Type.Object({
  jobId: Type.String(),
  accountId: Type.String(),
  /** Shown as the job's error: which job it depended on, and how that ended. */
  reason: Type.String(),
})

const QuarantineNode = Type.Object({
  nodeId: Type.String(),
  /** Shown with the node: why it takes no work. */
  reason: Type.String(),
})

const ExpireWait = Type.Object({
  jobId: Type.String(),
  accountId: Type.String(),
  /** The job's maxWaitS deadline (ISO 8601): the message is delayed until then. */
  deadline: Type.String(),
  maxWaitS: Type.Integer({ minimum: 1 }),
})

const FinishRefund = Type.Object({
  jobId: Type.String(),
  /** The refund asked for: its reason and, for a partial one, its amount. */
  reason: Type.String(),
  amountMicros: Type.Optional(Micros),
  /** When to look (ISO 8601): the message is delayed until then. */
  checkAt: Type.String(),
})

const retried = { attempts: 10, backoff: { type: 'exponential', delay: 200 } } as const
/** 1 s doubling, 16 tries: about 18 hours of retrying before the hold's own expiry is all that is left. */
const retriedForHours = { attempts: 16, backoff: { type: 'exponential', delay: 1_000 } } as const

/** 1 s doubling, 12 tries: about an hour for an endpoint to come back. */
const retriedForAnHour = { attempts: 12, backoff: { type: 'exponential', delay: 1_000 } } as const

/** BullMQ priority (1 is taken first): a high-priority job does not queue behind a backlog of normal ones. */
const matchPriority = { high: 1, normal: 2, low: 3 } as const

export const jobCatalog = {
  /** gateway → matching: place this job. */
  'match-job': {
    payload: MatchJob,
    options: retried,
    priority: (p: Static<typeof MatchJob>) => matchPriority[p.spec.priority],
    /** A scheduled job waits in BullMQ's delayed set until its notBefore. */
    delay: (p: Static<typeof MatchJob>) => startDelayMs(p.spec, Date.now()),
  },
  /** registry, matching, billing → gateway: something happened to a job. */
  'job-event': { payload: JobEvent, options: retried },
  /** registry → matching: a node gained free GPUs; retry waiting jobs. */
  'capacity-changed': { payload: CapacityChanged, options: retried },
  /** registry → billing: a run finished; capture its hold for the delivered GPU-seconds. */
  'settle-job': { payload: SettleJob, options: retried },
  /** gateway → gateway: a render job has chunks to try again or to stop. */
  'render-step': { payload: RenderStep, options: retried },
  /** gateway → gateway: a hold whose job was never stored, to give back once billing answers. */
  'void-hold': { payload: VoidHold, options: retriedForHours },
  /** registry → gateway: something happened to a node its provider's webhooks are told of. */
  'node-event': { payload: NodeEvent, options: retried },
  /** gateway → gateway: cancel a job one of whose dependencies (dependsOn) failed or was cancelled. */
  'cancel-dependent': { payload: CancelDependent, options: retriedForHours },
  /** gateway → gateway: cancel a job whose account an operator suspended, saying so in its error. */
  'cancel-job': { payload: CancelDependent, options: retriedForHours },
  /** gateway → gateway: quarantine a node whose provider's account an operator suspended. */
  'quarantine-node': { payload: QuarantineNode, options: retriedForHours },
  /** gateway → gateway, at a job's maxWaitS deadline: cancel it unless it has been placed. */
  'expire-wait': {
    payload: ExpireWait,
    options: retriedForHours,
    delay: (p: Static<typeof ExpireWait>) => Math.max(0, Date.parse(p.deadline) - Date.now()),
  },
  /**
   * gateway → gateway, a minute after an operator's refund was asked for: show
   * on the job a refund billing made whose answer the asking gateway did not live to record.
   */
  'finish-refund': {
    payload: FinishRefund,
    options: retriedForHours,
    delay: (p: Static<typeof FinishRefund>) => Math.max(0, Date.parse(p.checkAt) - Date.now()),
  },
  /** gateway → gateway: tell an account's webhook endpoint of an event (retried ~1 h). */
  'webhook-delivery': { payload: WebhookDelivery, options: retriedForAnHour },
} as const

export type JobName = keyof typeof jobCatalog
export type PayloadOf<N extends JobName> = Static<(typeof jobCatalog)[N]['payload']>

/**
 * A job spec as it arrives over gRPC → the payload form: proto3 sends zero
 * values for fields a sender left unset, and `nodes: 0` or `priority: ''`
 * mean one node, normal priority. The one place that reading lives.
 */
export function jobSpecFromWire<T extends { nodes: number; priority: string }>(spec: T): JobSpecPayload {
  return { ...spec, nodes: spec.nodes || 1, priority: spec.priority || 'normal' } as unknown as JobSpecPayload
}

/** A job spec with every optional constraint at "any": one place for the defaults the gateway and tests share. */
export function jobSpecPayload(
  spec: Pick<JobSpecPayload, 'kind' | 'command' | 'gpus' | 'maxDurationS'> & Partial<JobSpecPayload>,
): JobSpecPayload {
  return {
    env: {},
    maxPricePerGpuHourMicros: '0',
    currency: 'USD',
    regions: [],
    excludedRegions: [],
    countries: [],
    excludedCountries: [],
    excludedProviders: [],
    minComputeCapability: '',
    minCudaVersion: '',
    minDriverVersion: '',
    minReputation: 0,
    interruptible: false,
    nodes: 1,
    sameProvider: false,
    priority: 'normal',
    ...spec,
  }
}
