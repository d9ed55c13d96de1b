import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NotFoundError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import type { LedgerEntry__Output } from '@idlegrid/proto/billing'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { nodeView } from './node-view.js'
import { Currency, Node, problemResponses } from './schemas.js'
import { statementFor } from './statements.js'

const strict = { additionalProperties: false } as const
const refusals = { ...problemResponses, 503: Type.Ref('Problem') }

/** What a provider's earnings account did over a period, job by job. */
export function earningsOf(entries: LedgerEntry__Output[]) {
  const jobs = new Map<string, { jobId: string; earnedMicros: number; settlements: number; lastAt: string }>()
  let fromJobs = 0
  let incentives = 0
  let paidOut = 0
  let other = 0
  for (const e of entries) {
    const amount = Number(e.amountMicros)
    if (e.kind === 'settlement_provider') {
      fromJobs += amount
      const job = jobs.get(e.reference) ?? {
        jobId: e.reference,
        earnedMicros: 0,
        settlements: 0,
        lastAt: e.postedAt,
      }
      job.earnedMicros += amount
      job.settlements += 1
      job.lastAt = e.postedAt
      jobs.set(e.reference, job)
    } else if (e.kind === 'incentive') incentives += amount
    else if (e.kind === 'payout') paidOut -= amount
    else other += amount
  }
  return {
    jobsMicros: fromJobs,
    incentivesMicros: incentives,
    paidOutMicros: paidOut,
    correctionsMicros: other,
    jobs: [...jobs.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1)),
  }
}

/**
 * Providers price their nodes and see what they earned. Prices are the
 * registry's (per node, as PATCH /v1/nodes/:id sets one); earnings are read
 * from billing's ledger: the provider's earnings account over a period.
 */
export function providerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = [
    authenticate(ctx),
    requireRole('provider', 'only provider accounts have nodes and earnings'),
  ]
  const security = [{ apiKey: [] }]

  r.put(
    '/v1/provider/prices',
    {
      preHandler,
      schema: {
        tags: ['nodes'],
        summary:
          'Set the asking price of my nodes (all, or those named) for new work; placed work keeps its price',
        security,
        body: Type.Object(
          {
            pricePerGpuHourMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
            nodeIds: Type.Optional(
              Type.Array(Type.String({ pattern: '^node_[0-9a-z]{26}$' }), {
                minItems: 1,
                maxItems: 1000,
                uniqueItems: true,
              }),
            ),
          },
          strict,
        ),
        response: { 200: Type.Object({ data: Type.Array(Node) }), ...refusals },
      },
    },
    async (request) => {
      const providerId = callerOf(request).accountId
      const mine = (await callUnary(ctx.registry, 'listProviderNodes', { providerId }, { peer: 'registry' }))
        .nodes
      const ids = request.body.nodeIds ?? mine.map((n) => n.nodeId)
      // Every node named must be mine before any price changes: all or nothing.
      const unknown = ids.find((id) => !mine.some((n) => n.nodeId === id))
      if (unknown) throw new NotFoundError('node', unknown)
      const updated = []
      for (const nodeId of ids) {
        updated.push(
          await callUnary(
            ctx.registry,
            'setNodePrice',
            {
              node: { providerId, nodeId },
              pricePerGpuHourMicros: String(request.body.pricePerGpuHourMicros),
            },
            { peer: 'registry' },
          ),
        )
      }
      return { data: updated.map(nodeView) }
    },
  )

  r.get(
    '/v1/provider/earnings',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary:
          'What my nodes earned over a period (default: the last 30 days), per job, with incentives and payouts',
        security,
        querystring: Type.Object(
          {
            currency: Type.Optional(Currency),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          },
          strict,
        ),
        response: {
          200: Type.Object({
            currency: Type.String(),
            from: Type.String({ format: 'date-time' }),
            to: Type.String({ format: 'date-time' }),
            openingMicros: Type.Integer({ description: 'earnings not yet paid out at the start' }),
            closingMicros: Type.Integer({ description: 'earnings not yet paid out at the end' }),
            jobsMicros: Type.Integer({ description: 'earned from jobs (after the platform fee)' }),
            incentivesMicros: Type.Integer({ description: 'paid from the incentive pool for idle GPUs' }),
            paidOutMicros: Type.Integer(),
            correctionsMicros: Type.Integer({ description: 'reversals and other corrections' }),
            jobs: Type.Array(
              Type.Object({
                jobId: Type.String(),
                earnedMicros: Type.Integer(),
                settlements: Type.Integer({
                  description: 'runs settled (lost runs are settled with the final one)',
                }),
                lastAt: Type.String({ format: 'date-time' }),
              }),
              { description: 'newest first' },
            ),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const s = await statementFor(ctx, callerOf(request).accountId, request.query)
      const earned = s.accounts.find((a) => a.kind === 'earned')
      return {
        currency: s.currency,
        from: s.from,
        to: s.to,
        openingMicros: Number(earned?.openingMicros ?? 0),
        closingMicros: Number(earned?.closingMicros ?? 0),
        ...earningsOf(earned?.entries ?? []),
      }
    },
  )
}
