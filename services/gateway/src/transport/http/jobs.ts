import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DomainError, isDomainError, NotFoundError, ValidationError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import { newId } from '@idlegrid/ids'
import { chunkBehind, scheduledReason } from '@idlegrid/job-core'
import Type from 'typebox'
import { cancelJob } from '../../cancel-job.js'
import type { AppContext } from '../../context.js'
import { findChunkJobs, findChunkJobsOf, findJob, listJobs } from '../../db/jobs.js'
import { checkDependencies } from '../../dependencies.js'
import { jobForKey } from '../../idempotency.js'
import { specOfBody } from '../../quotes.js'
import { renderSpecOf, renderTasks, submitRender } from '../../render-jobs.js'
import { submitJob } from '../../submit-job.js'
import { authenticate, callerOf } from './authenticate.js'
import { streamJob } from './job-stream.js'
import { jobView, loadJobView } from './job-view.js'
import { Job, JobId, JobSpecBody, JobStatus, problemResponses } from './schemas.js'

const Explanation = Type.Object({
  jobId: Type.String(),
  outcome: Type.Union([
    Type.Literal('placed'),
    Type.Literal('waiting'),
    Type.Literal('cancelled'),
    Type.Literal('pending'),
  ]),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  nodesConsidered: Type.Integer(),
  rejections: Type.Array(Type.Object({ reason: Type.String(), nodes: Type.Integer() })),
  summary: Type.String(),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  candidates: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      gpuIndexes: Type.Array(Type.Integer()),
      total: Type.Number(),
      scores: Type.Record(Type.String(), Type.Number(), { description: 'score plugin → 0..100' }),
    }),
  ),
  unsatisfiable: Type.Boolean({ description: 'no registered node could run it even if idle' }),
  hints: Type.Array(Type.String(), { description: 'what would make it fit' }),
})

export function jobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)

  r.post(
    '/v1/jobs',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'Submit a job: funds for its maximum cost are held, then it is matched to GPUs',
        security: [{ apiKey: [] }],
        body: JobSpecBody,
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 255,
              pattern: '^[\\x21-\\x7e]+$',
              description:
                "Retry safely: the same key with the same body returns the same job (one job, one hold: a retry's own provisional hold is voided before it is answered) for 24 hours; the same key with another body is refused with 422",
            }),
          ),
        }),
        response: {
          201: Job,
          ...problemResponses,
          402: Type.Ref('Problem'),
          // Paid in a currency no operator has set a conversion rate for yet; a quote expired or used by another job.
          409: Type.Ref('Problem'),
          422: Type.Ref('UnprocessableProblem'),
          503: Type.Ref('Problem'),
        },
      },
    },
    async (request, reply) => {
      if (callerOf(request).role !== 'customer') {
        throw new DomainError('permission_denied', 'customers_only', 'only customer accounts submit jobs')
      }
      const { render } = request.body
      const spec = specOfBody(request.body)
      const { accountId } = callerOf(request)
      const key = request.headers['idempotency-key']
      // The id this submission's job gets unless its Idempotency-Key already names one.
      const jobId = newId('job')
      const keyed = key ? jobForKey(ctx, accountId, key, request.body, jobId) : undefined
      const metadata = request.body.metadata ?? {}
      const dependsOn = request.body.dependsOn ?? []
      // Nothing is held for a job that could never run: its dependencies are the account's and none has failed.
      await checkDependencies(ctx.db, accountId, dependsOn)
      const { job, replayed } = await (render
        ? submitRender(ctx, accountId, spec, renderSpecOf(spec, render), await keyed, metadata, dependsOn)
        : submitJob(ctx, accountId, spec, jobId, keyed, metadata, dependsOn))
      if (replayed) void reply.header('idempotent-replayed', 'true')
      return reply
        .status(201)
        .header('location', `/v1/jobs/${job.id}`)
        .send(await loadJobView(ctx, job))
    },
  )

  r.get(
    '/v1/jobs/:id',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'A job, its placement, progress and cost',
        security: [{ apiKey: [] }],
        params: JobId,
        response: { 200: Job, ...problemResponses },
      },
    },
    async (request) => {
      const job = await findJob(ctx.db, callerOf(request).accountId, request.params.id)
      if (!job) throw new NotFoundError('job', request.params.id)
      return loadJobView(ctx, job)
    },
  )

  r.post(
    '/v1/jobs/:id/cancel',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary:
          'Cancel a job: it is never placed again, running processes are stopped, only delivered GPU-seconds are charged',
        security: [{ apiKey: [] }],
        params: JobId,
        response: { 200: Job, ...problemResponses, 409: Type.Ref('Problem'), 503: Type.Ref('Problem') },
      },
    },
    async (request) => loadJobView(ctx, await cancelJob(ctx, callerOf(request).accountId, request.params.id)),
  )

  r.get(
    '/v1/jobs/:id/events',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'Watch a job live (Server-Sent Events)',
        description:
          'An `event: job` with the whole job resource now and on every change (placement, progress, completion, ' +
          'settlement), a keep-alive comment every 15 s, and `event: end` once the job is settled.',
        security: [{ apiKey: [] }],
        params: JobId,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { accountId } = callerOf(request)
      const jobId = request.params.id
      if (!(await findJob(ctx.db, accountId, jobId))) throw new NotFoundError('job', jobId)
      streamJob(ctx, reply, accountId, jobId)
    },
  )

  r.get(
    '/v1/jobs/:id/logs',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: "The last lines the job's process printed (stdout and stderr)",
        security: [{ apiKey: [] }],
        params: JobId,
        response: { 200: Type.String({ description: 'text/plain' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const job = await findJob(ctx.db, callerOf(request).accountId, request.params.id)
      if (!job) throw new NotFoundError('job', request.params.id)
      return reply.type('text/plain; charset=utf-8').send(job.log_tail ?? '')
    },
  )

  r.get(
    '/v1/jobs',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'My jobs, newest first',
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ pattern: '^job_[0-9a-z]{26}$' })),
            status: Type.Optional(JobStatus),
            createdAfter: Type.Optional(
              Type.String({
                format: 'date-time',
                description: 'only jobs submitted at or after this instant',
              }),
            ),
            createdBefore: Type.Optional(
              Type.String({ format: 'date-time', description: 'only jobs submitted before this instant' }),
            ),
            metadata: Type.Optional(
              Type.String({
                pattern: '^[A-Za-z0-9_.-]{1,40}:',
                maxLength: 541,
                description: 'key:value — only jobs whose metadata has this key with this value',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ data: Type.Array(Job), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 20
      const rows = await listJobs(ctx.db, callerOf(request).accountId, {
        limit,
        before: request.query.cursor,
        ...createdPeriod(request.query.createdAfter, request.query.createdBefore),
        status: request.query.status,
        metadata: metadataFilter(request.query.metadata),
      })
      // Render jobs show their chunks here too: one query for all of the page's render jobs.
      const chunks = await findChunkJobsOf(
        ctx.db,
        rows.filter((row) => row.render).map((row) => row.id),
      )
      return {
        data: rows.map((row) => jobView(row, chunks.get(row.id))),
        nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null,
      }
    },
  )

  r.get(
    '/v1/jobs/:id/explanation',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'Why a job was placed where it was, or why it is waiting',
        security: [{ apiKey: [] }],
        params: JobId,
        response: { 200: Explanation, ...problemResponses },
      },
    },
    async (request) => {
      const job = await findJob(ctx.db, callerOf(request).accountId, request.params.id)
      if (!job) throw new NotFoundError('job', request.params.id)
      const pending = (summary: string) => ({
        jobId: job.id,
        outcome: 'pending' as const,
        nodeId: null,
        nodesConsidered: 0,
        rejections: [],
        summary,
        decidedAt: null,
        candidates: [],
        unsatisfiable: false,
        hints: [],
      })
      // Not sent to matching yet: it waits for the jobs it depends on.
      if (job.blocked) return pending(job.waiting_summary ?? 'waiting for the jobs it depends on (dependsOn)')
      // A render job is explained by the chunk furthest behind: the first one waiting, else the first one live.
      const chunk = job.render
        ? chunkBehind(renderTasks(job, await findChunkJobs(ctx.db, job.id)))
        : undefined
      try {
        const e = await callUnary(
          ctx.matching,
          'explainJob',
          { jobId: chunk?.jobId ?? job.id },
          { peer: 'matching' },
        )
        return {
          ...e,
          jobId: job.id,
          summary: chunk ? `chunk ${chunk.index}: ${e.summary}` : e.summary,
          outcome: e.outcome as 'placed' | 'waiting' | 'cancelled',
          nodeId: e.nodeId || null,
          decidedAt: e.decidedAt || null,
        }
      } catch (err) {
        if (!isDomainError(err) || err.kind !== 'not_found') throw err
        return pending(scheduledReason(job.spec, Date.now()) ?? 'not matched yet')
      }
    },
  )
}

/** `?createdAfter=&createdBefore=` as a period, refused (400) when either is not an instant or it is reversed. */
function createdPeriod(after: string | undefined, before: string | undefined) {
  const instant = (field: string, text: string | undefined) => {
    if (text === undefined) return undefined
    const at = new Date(text)
    if (Number.isNaN(at.getTime())) throw new ValidationError(field, `"${text}" is not an instant (ISO 8601)`)
    return at
  }
  const createdFrom = instant('query.createdAfter', after)
  const createdTo = instant('query.createdBefore', before)
  if (createdFrom && createdTo && createdFrom >= createdTo)
    throw new ValidationError('query.createdAfter', 'must be before createdBefore', 'invalid_period')
  return { createdFrom, createdTo }
}

/** `?metadata=key:value`: the first colon ends the key (keys have none); a value may hold more. */
function metadataFilter(query: string | undefined): { key: string; value: string } | undefined {
  if (query === undefined) return undefined
  const at = query.indexOf(':')
  return { key: query.slice(0, at), value: query.slice(at + 1) }
}
