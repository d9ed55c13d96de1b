import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { type LedgerRow, parseCurrency, parseId, type StatementEntry } from '@idlegrid/ledger-core'
import type {
  GetInvoiceRequest__Output,
  GetStatementRequest__Output,
  Invoice,
  LedgerEntry,
  Statement,
} from '@idlegrid/proto/billing'
import type { AppContext } from '../../context.js'
import { getInvoice as readInvoice, getStatement as readStatement } from '../../ledger/statements.js'

const DAY_MS = 24 * 3600 * 1000

function parseTime(field: string, value: string | undefined, fallback: Date): Date {
  if (!value) return fallback
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) throw new ValidationError(field, `must be an RFC 3339 time, got "${value}"`)
  return at
}

const entryOf = (e: StatementEntry): LedgerEntry => ({
  transferId: e.transferId,
  seq: e.seq.toString(),
  hash: e.hash,
  postedAt: e.postedAt.toISOString(),
  kind: e.kind,
  reference: e.reference,
  amountMicros: e.amount.toString(),
  balanceAfterMicros: e.balanceAfter.toString(),
})

export const getStatement = (ctx: AppContext) =>
  unary<GetStatementRequest__Output, Statement>(
    'billing.GetStatement',
    async (req) => {
      const to = parseTime('to', req.to, new Date())
      const s = await readStatement(ctx.db, {
        ownerId: parseId('ownerId', req.ownerId),
        currency: parseCurrency('currency', req.currency),
        from: parseTime('from', req.from, new Date(to.getTime() - 30 * DAY_MS)),
        to,
      })
      return {
        ownerId: s.ownerId,
        currency: s.currency,
        from: s.from.toISOString(),
        to: s.to.toISOString(),
        accounts: s.accounts.map((a) => ({
          accountId: a.account,
          kind: a.kind,
          openingMicros: a.opening.toString(),
          closingMicros: a.closing.toString(),
          creditsMicros: a.credits.toString(),
          debitsMicros: a.debits.toString(),
          entries: a.entries.map(entryOf),
          consistent: a.consistent,
        })),
        chainSeq: s.chain.seq.toString(),
        chainHash: s.chain.hash,
      }
    },
    logRpcFailure(ctx.logger),
  )

const transferOf = (t: LedgerRow): LedgerEntry => ({
  transferId: t.id,
  seq: t.seq.toString(),
  hash: t.hash,
  postedAt: t.postedAt.toISOString(),
  kind: t.kind,
  reference: t.reference,
  amountMicros: t.amount.toString(),
  balanceAfterMicros: '0',
})

export const getInvoice = (ctx: AppContext) =>
  unary<GetInvoiceRequest__Output, Invoice>(
    'billing.GetInvoice',
    async (req) => {
      const inv = await readInvoice(ctx.db, parseId('holdId', req.holdId))
      const h = inv.hold
      return {
        holdId: h.id,
        reference: h.reference,
        customerId: h.customer_id,
        currency: h.currency,
        microsPerUsd: inv.microsPerUsd.toString(),
        feeBps: h.fee_bps,
        state: h.state,
        placedAt: h.created_at.toISOString(),
        resolvedAt: h.resolved_at?.toISOString() ?? '',
        heldMicros: h.amount.toString(),
        chargedMicros: (h.charged ?? 0n).toString(),
        feeMicros: (h.fee ?? 0n).toString(),
        providerMicros: (h.provider_earned ?? 0n).toString(),
        releasedMicros: (h.state === 'settled'
          ? (h.released ?? 0n)
          : h.state === 'pending'
            ? 0n
            : h.amount
        ).toString(),
        lines: inv.lines.map((l) => ({
          assignmentId: l.assignmentId,
          providerId: l.providerId,
          gpuSeconds: l.gpuSeconds.toString(),
          pricePerGpuHourUsdMicros: l.pricePerGpuHour.toString(),
          costMicros: l.cost.toString(),
          chargedMicros: l.charged.toString(),
          feeMicros: l.fee.toString(),
          providerMicros: l.provider.toString(),
        })),
        transfers: inv.transfers.map(transferOf),
        consistent: inv.consistent,
        refundedMicros: h.refunded.toString(),
        refundedAt: h.refunded_at?.toISOString() ?? '',
        refundReason: h.refund_reason ?? '',
      }
    },
    logRpcFailure(ctx.logger),
  )
