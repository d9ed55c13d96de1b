import { DAYS, MAX_HOURS_WINDOWS } from '@idlegrid/fleet-core'
import { MAX_DEPENDENCIES, MAX_RETRIES, MAX_WAIT_S } from '@idlegrid/job-core'
import { currencies } from '@idlegrid/ledger-core'
import Type, { type Static } from 'typebox'

/** The ledger's currencies, as the API names them. */
const currencyLiterals = () => currencies.map((c) => Type.Literal(c))
export const Currency = Type.Union(currencyLiterals())

/** Every schema rejects unknown fields: nobody sets a price, status or owner they should not. */
const strict = { additionalProperties: false } as const

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    detail: Type.String(),
    field: Type.Optional(Type.String({ description: 'the offending input, e.g. body.gpus.count' })),
    instance: Type.Optional(Type.String()),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
)

/**
 * 422 on submission: `unsatisfiable` (no enrolled node could ever run the
 * job; with the reasons and what would help) or `idempotency_key_reused`.
 */
export const UnprocessableProblem = Type.Object(
  {
    ...Problem.properties,
    nodesConsidered: Type.Optional(Type.Integer()),
    rejections: Type.Optional(
      Type.Array(Type.Object({ reason: Type.String(), nodes: Type.Integer() }), {
        description:
          'unsatisfiable: why nodes could not run it, counted as if every node were idle and online',
      }),
    ),
    hints: Type.Optional(Type.Array(Type.String(), { description: 'unsatisfiable: what would make it fit' })),
  },
  { $id: 'UnprocessableProblem', description: 'RFC 9457 problem details for a job that cannot be accepted' },
)

/**
 * A route schema key (copied into its OpenAPI operation as an `x-` extension)
 * saying that its JSON body may be left out: Fastify needs a body wherever a
 * schema names one, so such a route fills in `{}` itself, and the document
 * marks the body optional (app.ts).
 */
export const OPTIONAL_BODY = 'x-optional-body'

export const problemResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  403: Type.Ref('Problem'),
  404: Type.Ref('Problem'),
  429: Type.Ref('Problem'),
  // A peer service or a store (Postgres, Redis) it needs is out of reach: retry after a moment.
  503: Type.Ref('Problem'),
}

const Region = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' })
const Country = Type.String({ pattern: '^[A-Z]{2}$' })
/** Read as the marketplace name: "rtx 4090" and "NVIDIA GeForce RTX 4090" are "RTX4090". */
export const GpuModelName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$',
  description:
    'a GPU model such as RTX4090 or H100; any case, and names as the driver prints them (NVIDIA GeForce RTX 4090, A100-SXM4-80GB), are read as the marketplace name',
})
const Version = (description: string) => Type.String({ pattern: '^\\d{1,4}(\\.\\d{1,4}){0,3}$', description })

/** Stripe-style labels: up to 20 keys of 1–40 plain characters, values up to 500. */
export const METADATA_KEY = '^[A-Za-z0-9_.-]{1,40}$'
const Metadata = Type.Record(Type.String({ pattern: METADATA_KEY }), Type.String({ maxLength: 500 }), {
  maxProperties: 20,
  // A key outside the pattern is refused, not passed through (patternProperties alone would).
  additionalProperties: false,
  description:
    'your own labels for the job (e.g. {"pipeline": "nightly", "experiment": "42"}): shown with it, filtered on in ' +
    'GET /v1/jobs?metadata=key:value; not part of what is run, priced or quoted',
})

const HttpUri = (description: string) =>
  Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$', description })
/** A relative path of plain names: no leading "/", no "." or ".." step, nothing a shell or a tar reads specially. */
const RELATIVE_PATH = '^(?!\\.\\.?(/|$))(?!.*/\\.\\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$'

export const JobSpecBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('training'), Type.Literal('inference'), Type.Literal('render')]),
    command: Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), {
      minItems: 1,
      maxItems: 256,
      description: 'argv of the process to run, e.g. ["python", "train.py"]',
    }),
    env: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }),
        Type.String({ maxLength: 4096 }),
        {
          maxProperties: 64,
          // A name no shell could set is refused, not passed through (patternProperties alone would).
          additionalProperties: false,
        },
      ),
    ),
    gpus: Type.Object(
      {
        count: Type.Integer({ minimum: 1, maximum: 64 }),
        models: Type.Optional(
          Type.Array(GpuModelName, {
            maxItems: 16,
            description: 'any of',
          }),
        ),
        minVramMib: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_048_576 })),
      },
      strict,
    ),
    maxPricePerGpuHourMicros: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000_000,
        description: 'ceiling per GPU-hour in micros of USD',
      }),
    ),
    maxDurationS: Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 }),
    regions: Type.Optional(Type.Array(Region, { maxItems: 32, description: 'run only in these regions' })),
    excludedRegions: Type.Optional(Type.Array(Region, { maxItems: 32 })),
    countries: Type.Optional(Type.Array(Country, { maxItems: 64, description: 'ISO 3166-1 alpha-2' })),
    excludedCountries: Type.Optional(Type.Array(Country, { maxItems: 64 })),
    excludedProviders: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
    excludedNodes: Type.Optional(
      Type.Array(Type.String({ pattern: '^node_[0-9a-z]{26}$' }), {
        maxItems: 64,
        description: 'never run on these nodes',
      }),
    ),
    minComputeCapability: Type.Optional(Version('e.g. "8.0" for Ampere or newer')),
    minCudaVersion: Type.Optional(Version('CUDA version the driver must support, e.g. "12.2"')),
    minDriverVersion: Type.Optional(Version('e.g. "535.104"')),
    minReputation: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'node reliability, 0..1' }),
    ),
    interruptible: Type.Optional(
      Type.Boolean({
        description:
          'may be stopped with notice for higher-priority work (billed for the seconds delivered, then requeued)',
      }),
    ),
    nodes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 64,
        description:
          'gang placement: run on this many distinct nodes at once, gpus.count GPUs on each, in one region, all or nothing',
      }),
    ),
    sameProvider: Type.Optional(Type.Boolean({ description: 'gang placement: all nodes of one provider' })),
    priority: Type.Optional(
      Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high')], {
        description:
          'waiting jobs get capacity in priority order; a non-interruptible job may preempt interruptible work of a lower priority',
      }),
    ),
    image: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$',
        description: 'container image to run the command in',
      }),
    ),
    inputs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            uri: HttpUri('where to fetch it from (HTTP GET), e.g. a presigned object-store URL'),
            path: Type.String({
              maxLength: 255,
              pattern: RELATIVE_PATH,
              description: 'where it lands, relative to IDLEGRID_INPUT_DIR, e.g. "data/train.csv"',
            }),
            sha256: Type.Optional(
              Type.String({
                pattern: '^[0-9a-f]{64}$',
                description: 'the run fails if the file has another',
              }),
            ),
          },
          strict,
        ),
        {
          maxItems: 32,
          description:
            'files the agent fetches into IDLEGRID_INPUT_DIR before the process starts (also its working directory); ' +
            'one that cannot be fetched fails the run. The fetching counts towards its GPU-seconds.',
        },
      ),
    ),
    outputUri: Type.Optional(
      HttpUri(
        'when the process exits by itself (any exit code; not when stopped), IDLEGRID_OUTPUT_DIR as one .tar.gz is ' +
          'uploaded here with idlegrid-job.log (all the process printed) at its top (HTTP PUT, e.g. a presigned ' +
          'object-store URL); a failed upload fails the run. A render job puts {chunk} in it (filled per chunk).',
      ),
    ),
    checkpointUri: Type.Optional(
      HttpUri(
        'where IDLEGRID_CHECKPOINT_DIR is kept between runs, so a job requeued after its node went away (or was ' +
          'preempted) resumes where it was: fetched there before the process starts (HTTP GET; 404: a first run, the ' +
          'directory starts empty), saved as a .tar.gz every checkpointIntervalS while it changes (HTTP PUT), and once ' +
          'more when the node stops the run (agent shut down, job preempted). It must answer GET and PUT. A gang ' +
          'job puts {rank} in it to keep one per rank; without it rank 0 saves and every rank restores. Not for ' +
          'render jobs (a chunk is retried whole).',
      ),
    ),
    checkpointIntervalS: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 86_400,
        description: 'seconds between checkpoint saves (default 300); only with checkpointUri',
      }),
    ),
    maxRetries: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_RETRIES,
        description:
          'run it again, up to this many times, when it fails (a process exits non-zero; not when it reaches ' +
          'maxDurationS or is cancelled): each retry is a new placement that starts from the checkpoint, if it keeps ' +
          'one. Every attempt is paid for what it ran, so the funds held cover 1 + maxRetries attempts at their longest. ' +
          'Default 0. Render jobs retry each chunk instead (render.maxAttempts).',
      }),
    ),
    maxWaitS: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_WAIT_S,
        description:
          'the most it may wait to be placed, in seconds from its submission (or its notBefore): not placed by then, ' +
          'it is cancelled and its hold given back whole (error says so). A job placed once is never cancelled by it; ' +
          'a render job, once any chunk has been placed.',
      }),
    ),
    notBefore: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'scheduled: accepted, held and checked now, but not matched before this instant (at most 7 days ahead; ' +
          'one already past starts it at once). Its waitingReason says so until then.',
      }),
    ),
    metadata: Type.Optional(Metadata),
    dependsOn: Type.Optional(
      Type.Array(Type.String({ pattern: '^job_[0-9a-z]{26}$' }), {
        minItems: 1,
        maxItems: MAX_DEPENDENCIES,
        uniqueItems: true,
        description:
          'jobs of your account this one waits for (a pipeline: preprocess → train → evaluate): held and queued now, ' +
          'placed once every one of them has succeeded, cancelled (funds given back) if one fails or is cancelled. ' +
          'Refused (422) when one is unknown or has already failed. A render job waits whole: its chunks are held now and placed then.',
      }),
    ),
    render: Type.Optional(
      Type.Object(
        {
          frameStart: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          frameEnd: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          chunkSize: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          maxAttempts: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 5,
              description: 'tries per chunk, each on a node it has not failed on, before the job fails (3)',
            }),
          ),
        },
        {
          ...strict,
          description:
            'kind "render" only: frames frameStart..frameEnd split into chunks of chunkSize, each run as its own task on ' +
            'any node, at most 1,000 chunks. In the command, {frameStart}, {frameEnd} and {chunk} are replaced per chunk; ' +
            'the process also sees IDLEGRID_FRAME_START, IDLEGRID_FRAME_END, IDLEGRID_CHUNK_INDEX and IDLEGRID_CHUNK_COUNT. ' +
            'gpus, price and duration apply to each chunk.',
        },
      ),
    ),
    currency: Type.Optional(
      Type.Union(currencyLiterals(), {
        description:
          "what the job is paid in (USD unless given): prices stay USD, converted at the rate fixed when its funds are held; the fee is the currency's",
      }),
    ),
    quoteId: Type.Optional(
      Type.String({
        pattern: '^quote_[0-9a-z]{26}$',
        description:
          'submit at a quote from POST /v1/quotes: held at its locked price if it is yours, unexpired, for this very spec (the quote id aside) and not used by another job yet (409 quote_used)',
      }),
    ),
  },
  { ...strict, $id: 'JobSpec' },
)
export type JobSpecBody = Static<typeof JobSpecBody>

/** Why an operator acts (suspends, refunds, quarantines): said, not blank, shown to whom it concerns. */
export const OperatorReason = (description: string) =>
  Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description })

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const JobStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('placed'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
])

export const Job = Type.Object(
  {
    id: Type.String(),
    status: JobStatus,
    spec: Type.Ref('JobSpec'),
    metadata: Type.Record(Type.String(), Type.String(), { description: 'your own labels, as submitted' }),
    currency: Type.String(),
    holdMicros: Type.Integer(),
    feeBps: Type.Integer(),
    waitingReason: nullable(Type.String()),
    rejections: nullable(Type.Array(Type.Object({ reason: Type.String(), nodes: Type.Integer() }))),
    nodeId: nullable(Type.String()),
    gpuIndexes: nullable(Type.Array(Type.Integer())),
    ranks: nullable(
      Type.Array(
        Type.Object({
          rank: Type.Integer(),
          nodeId: Type.String(),
          gpuIndexes: Type.Array(Type.Integer()),
          pricePerGpuHourMicros: Type.Integer(),
        }),
        { description: 'every node of the placement (one for a single-node job), rank 0 first' },
      ),
    ),
    pricePerGpuHourMicros: nullable(Type.Integer()),
    exitCode: nullable(Type.Integer()),
    gpuSeconds: nullable(Type.Integer()),
    elapsedMs: nullable(Type.Integer()),
    logTail: nullable(Type.String()),
    error: nullable(Type.String()),
    cost: nullable(
      Type.Object({
        chargedMicros: Type.Integer(),
        feeMicros: Type.Integer(),
        providerMicros: Type.Integer(),
        releasedMicros: Type.Integer(),
      }),
    ),
    refund: nullable(
      Type.Object(
        {
          amountMicros: Type.Integer({
            description:
              'all the job was charged (or the part an operator gave back), back in the available balance',
          }),
          refundedAt: Type.String({ format: 'date-time' }),
          reason: Type.String(),
        },
        { description: 'refunded by an operator; null when not refunded' },
      ),
    ),
    createdAt: Type.String({ format: 'date-time' }),
    placedAt: nullable(Type.String({ format: 'date-time' })),
    startedAt: nullable(Type.String({ format: 'date-time' })),
    finishedAt: nullable(Type.String({ format: 'date-time' })),
    settledAt: nullable(Type.String({ format: 'date-time' })),
    requeues: Type.Integer({
      description: 'times the job was placed again because a node was lost or it was preempted',
    }),
    lostRunGpuSeconds: Type.Integer({
      description:
        'GPU-seconds of earlier runs that ended without finishing the job (node lost or shut down, preempted, or a failure retried); billed with the final run',
    }),
    dependsOn: Type.Array(Type.String(), { description: 'the jobs it waits for (dependsOn); [] when none' }),
    lastFailure: nullable(
      Type.Object(
        {
          at: Type.String({ format: 'date-time' }),
          exitCode: Type.Integer(),
          error: Type.String(),
          logTail: Type.String({ description: 'the last lines that attempt printed' }),
        },
        {
          description:
            'how the latest attempt that failed and was retried (maxRetries) ended; null when none was',
        },
      ),
    ),
    renderJobId: nullable(Type.String({ description: 'a render chunk: the render job it belongs to' })),
    tasks: nullable(
      Type.Array(
        Type.Object({
          index: Type.Integer(),
          frameStart: Type.Integer(),
          frameEnd: Type.Integer(),
          jobId: Type.String({ description: "the chunk's latest attempt, a job of its own" }),
          attempts: Type.Integer(),
          status: JobStatus,
          nodeId: nullable(Type.String()),
          exitCode: nullable(Type.Integer()),
        }),
        { description: 'a render job: its chunks, in frame order' },
      ),
    ),
  },
  { $id: 'Job' },
)
export type Job = Static<typeof Job>

export const JobId = Type.Object({ id: Type.String({ pattern: '^job_[0-9a-z]{26}$' }) }, strict)

export const NodeState = Type.Union(
  [
    Type.Literal('enrolled'),
    Type.Literal('online'),
    Type.Literal('busy'),
    Type.Literal('draining'),
    Type.Literal('suspect'),
    Type.Literal('offline'),
    Type.Literal('quarantined'),
    Type.Literal('revoked'),
    Type.Literal('off_hours'),
  ],
  {
    description:
      'enrolled: the agent never connected; online/busy: takes work; draining: finishes its work, takes none; ' +
      'suspect: heartbeats late; offline; quarantined: held by an operator; revoked: its credential no longer works; ' +
      'off_hours: outside the hours its provider lends it (PUT /v1/nodes/{id}/hours), takes no new work',
  },
)

export const NodeHours = Type.Object(
  {
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone, e.g. Europe/Amsterdam',
    }),
    windows: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Union(DAYS.map((d) => Type.Literal(d))), {
            minItems: 1,
            maxItems: 7,
            uniqueItems: true,
            description: 'the days a window starts on',
          }),
          start: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'local HH:MM' }),
          end: Type.String({
            pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
            description: 'local HH:MM (24:00: midnight); at or before start: the next day (22:00–08:00)',
          }),
        },
        strict,
      ),
      { minItems: 1, maxItems: MAX_HOURS_WINDOWS },
    ),
  },
  {
    ...strict,
    description:
      "the weekly windows, in the provider's own time zone, in which the node takes new work: only work that ends " +
      '(its maxDurationS) before the window closes, so nothing it runs is cut short',
  },
)

export const Node = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    state: NodeState,
    region: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2; empty until the agent reports it' }),
    pricePerGpuHourMicros: nullable(
      Type.Integer({
        description:
          'asking price for new work; placed work keeps its price. null until the agent first connects ' +
          'with its price, or one is set (PATCH /v1/nodes/{id})',
      }),
    ),
    gpus: Type.Array(
      Type.Object({
        index: Type.Integer(),
        model: Type.String(),
        vramMib: Type.Integer(),
        computeCapability: Type.String(),
        driverVersion: Type.String(),
        cudaVersion: Type.String(),
        interconnect: Type.String(),
      }),
    ),
    gpusInUse: Type.Integer(),
    lastHeartbeatAt: nullable(Type.String({ format: 'date-time' })),
    quarantineReason: nullable(Type.String()),
    hours: nullable(NodeHours),
    hoursChangeAt: nullable(
      Type.String({
        format: 'date-time',
        description: 'with hours: when the node next closes (in them) or opens (outside them)',
      }),
    ),
  },
  { $id: 'Node' },
)
export type Node = Static<typeof Node>

export const NodeId = Type.Object({ id: Type.String({ pattern: '^node_[0-9a-z]{26}$' }) }, strict)

/** An operator's suspension of an account, as the account and operators see it. */
export const Suspension = Type.Object({
  at: Type.String({ format: 'date-time' }),
  reason: Type.String(),
})

/** An account as it and operators see it. */
export const Account = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('customer'), Type.Literal('provider'), Type.Literal('operator')]),
  createdAt: Type.String({ format: 'date-time' }),
  suspended: Type.Union([Suspension, Type.Null()], {
    description: 'set while an operator has suspended the account: its keys may read, not act',
  }),
})

/** The suspension of an account row (with suspended_at/suspended_reason), or null. */
export const suspensionOf = (row: { suspended_at: Date | null; suspended_reason: string | null }) =>
  row.suspended_at ? { at: row.suspended_at.toISOString(), reason: row.suspended_reason ?? '' } : null
