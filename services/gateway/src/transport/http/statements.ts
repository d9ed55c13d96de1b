import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NotFoundError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import type { Invoice__Output, LedgerEntry__Output } from '@idlegrid/proto/billing'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { findChunkJobs, findJob } from '../../db/jobs.js'
import { authenticate, callerOf } from './authenticate.js'
import { Currency, problemResponses } from './schemas.js'

const Entry = Type.Object({
  transferId: Type.String(),
  seq: Type.Integer({ description: "position in the currency's hash chain" }),
  hash: Type.String(),
  postedAt: Type.String(),
  kind: Type.String(),
  reference: Type.String(),
  amountMicros: Type.Integer(),
  balanceAfterMicros: Type.Integer(),
})
const entry = (e: LedgerEntry__Output) => ({
  transferId: e.transferId,
  seq: Number(e.seq),
  hash: e.hash,
  postedAt: e.postedAt,
  kind: e.kind,
  reference: e.reference,
  amountMicros: Number(e.amountMicros),
  balanceAfterMicros: Number(e.balanceAfterMicros),
})
const micros = (value: string | number) => Number(value)

/**
 * Statements (the caller's own accounts over a period) and invoices (what one
 * of the caller's jobs came to), read from billing's ledger. An invoice is
 * found through the caller's job, so another tenant's job is a 404.
 */
export function statementRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)

  r.get(
    '/v1/statements',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary: 'Every movement of your accounts in one currency over a period (default: the last 30 days)',
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            currency: Type.Optional(Currency),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            currency: Type.String(),
            from: Type.String(),
            to: Type.String(),
            chainSeq: Type.Integer(),
            chainHash: Type.String(),
            accounts: Type.Array(
              Type.Object({
                kind: Type.String(),
                openingMicros: Type.Integer(),
                closingMicros: Type.Integer(),
                creditsMicros: Type.Integer(),
                debitsMicros: Type.Integer(),
                entries: Type.Array(Entry),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const s = await statementFor(ctx, callerOf(request).accountId, request.query)
      return {
        currency: s.currency,
        from: s.from,
        to: s.to,
        chainSeq: Number(s.chainSeq),
        chainHash: s.chainHash,
        accounts: s.accounts.map((a) => ({
          kind: a.kind,
          openingMicros: micros(a.openingMicros),
          closingMicros: micros(a.closingMicros),
          creditsMicros: micros(a.creditsMicros),
          debitsMicros: micros(a.debitsMicros),
          entries: a.entries.map(entry),
        })),
      }
    },
  )

  r.get(
    '/v1/jobs/:id/invoice',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: "What a job came to: each run's GPU-seconds and charge, the fee, what was released",
        security: [{ apiKey: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: {
          200: Type.Object({
            jobId: Type.String(),
            state: Type.String(),
            currency: Type.String(),
            microsPerUsd: Type.Integer(),
            feeBps: Type.Integer(),
            heldMicros: Type.Integer(),
            chargedMicros: Type.Integer(),
            feeMicros: Type.Integer(),
            releasedMicros: Type.Integer(),
            refundedMicros: Type.Integer({ description: 'given back by an operator refund (0: none)' }),
            lines: Type.Array(
              Type.Object({
                gpuSeconds: Type.Integer(),
                pricePerGpuHourUsdMicros: Type.Integer(),
                costMicros: Type.Integer(),
                chargedMicros: Type.Integer(),
              }),
            ),
            transfers: Type.Array(Entry),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const job = await findJob(ctx.db, callerOf(request).accountId, request.params.id)
      if (!job) throw new NotFoundError('job', request.params.id)
      // A render job's invoice is its chunks' holds together, every attempt included.
      const holdIds = job.render
        ? (await findChunkJobs(ctx.db, job.id)).map((c) => c.hold_id!)
        : [job.hold_id!]
      const invoices = await Promise.all(
        holdIds.map((holdId) => callUnary(ctx.billing, 'getInvoice', { holdId }, { peer: 'billing' })),
      )
      const inv = mergeInvoices(invoices)
      return {
        jobId: job.id,
        state: inv.state,
        currency: inv.currency,
        microsPerUsd: micros(inv.microsPerUsd),
        feeBps: inv.feeBps,
        heldMicros: micros(inv.heldMicros),
        chargedMicros: micros(inv.chargedMicros),
        feeMicros: micros(inv.feeMicros),
        releasedMicros: micros(inv.releasedMicros),
        refundedMicros: micros(inv.refundedMicros),
        // Customers see their runs' work and cost; which provider ran them stays the marketplace's business.
        lines: inv.lines.map((l) => ({
          gpuSeconds: Number(l.gpuSeconds),
          pricePerGpuHourUsdMicros: micros(l.pricePerGpuHourUsdMicros),
          costMicros: micros(l.costMicros),
          chargedMicros: micros(l.chargedMicros),
        })),
        transfers: inv.transfers.map(entry),
      }
    },
  )
}

/** One invoice for several holds of one job (a render job's chunks): amounts add up, lines and transfers join. */
function mergeInvoices(invoices: Invoice__Output[]): Invoice__Output {
  if (invoices.length === 1) return invoices[0]!
  const total = (pick: (i: Invoice__Output) => string) =>
    invoices.reduce((sum, i) => sum + BigInt(pick(i)), 0n).toString()
  const states = new Set(invoices.map((i) => i.state))
  return {
    ...invoices[0]!,
    state:
      states.size === 1
        ? invoices[0]!.state
        : states.has('pending')
          ? 'pending'
          : [...states].sort().join('+'),
    heldMicros: total((i) => i.heldMicros),
    chargedMicros: total((i) => i.chargedMicros),
    feeMicros: total((i) => i.feeMicros),
    providerMicros: total((i) => i.providerMicros),
    releasedMicros: total((i) => i.releasedMicros),
    refundedMicros: total((i) => i.refundedMicros),
    lines: invoices.flatMap((i) => i.lines),
    transfers: invoices.flatMap((i) => i.transfers),
    consistent: invoices.every((i) => i.consistent),
  }
}

/** An account's statement for a period: USD and the 30 days up to now unless the query says otherwise. */
export function statementFor(
  ctx: AppContext,
  accountId: string,
  query: { currency?: string | undefined; from?: string | undefined; to?: string | undefined },
) {
  return callUnary(
    ctx.billing,
    'getStatement',
    { ownerId: accountId, currency: query.currency ?? 'USD', from: query.from ?? '', to: query.to ?? '' },
    { peer: 'billing' },
  )
}
