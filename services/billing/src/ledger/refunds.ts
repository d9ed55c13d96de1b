import type { Kysely, Transaction } from '@idlegrid/db'
import {
  ConflictError,
  InsufficientFundsError,
  NotFoundError,
  PreconditionError,
  ValidationError,
} from '@idlegrid/errors'
import {
  type Currency,
  type Micros,
  parseAccountId,
  planRefunds,
  type Refund,
  reversalId,
  type SettledHold,
  settlementTransferIds,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { findSettlementLegs, type HoldRow } from '../db/holds.js'
import { type BillingDb, SCHEMA } from '../db/schema.js'
import { findTransfers, transferOf } from '../db/transfers.js'
import { recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

/** Most holds one refund takes (a render job's chunks, every attempt). */
export const MAX_REFUND_HOLDS = 1_000

export interface RefundResult {
  currency: Currency
  /** All the holds charged (or the part asked), now given back. */
  amount: Micros
  at: Date
  reason: string
  transferIds: string[]
  /** False when every hold had already been refunded for this reason (a replay). */
  applied: boolean
}

/**
 * Refunds settled holds (an operator upholding a complaint about a job; a
 * render job has one hold per chunk), whole or — with `amount` — in part:
 * every transfer their settlements made is reversed (in part: each in the
 * same proportion) in one posting (ledger-core planRefunds), and each hold
 * records what was given back, when and why — so the customer's month no
 * longer counts it against a spending limit. Under the holds' locks, all or
 * nothing: a hold is refunded once; a retry with the same reason and amount
 * replays, another reason or amount is a conflict. A provider already paid
 * out what a job earned it cannot give it back: then nothing is refunded.
 * `lookOnly` answers a refund already made and makes none (not_refunded).
 */
export async function refundHolds(
  db: Kysely<BillingDb>,
  req: { holdIds: readonly string[]; reason: string; amount?: Micros; lookOnly?: boolean },
): Promise<RefundResult> {
  const holdIds = [...new Set(req.holdIds)].sort()
  if (holdIds.length === 0) throw new ValidationError('holdIds', 'must name at least one hold')
  if (holdIds.length > MAX_REFUND_HOLDS)
    throw new ValidationError('holdIds', `must name at most ${MAX_REFUND_HOLDS} holds`)
  return inLedgerTransaction(db, async (trx) => {
    const holds = await lockHolds(trx, holdIds)
    const missing = holdIds.find((id) => !holds.some((h) => h.id === id))
    if (missing) throw new NotFoundError('hold', missing)
    const first = holds[0]!
    if (holds.some((h) => h.customer_id !== first.customer_id || h.currency !== first.currency))
      throw new ValidationError('holdIds', 'must be holds of one customer in one currency')
    const earlier = holds.find((h) => h.refunded_at && h.refund_reason !== req.reason)
    if (earlier)
      throw new ConflictError(
        'already_refunded',
        `hold ${earlier.id} was already refunded at ${earlier.refunded_at!.toISOString()} (${earlier.refund_reason})`,
      )
    const fresh = holds.filter((h) => !h.refunded_at)
    if (req.lookOnly && fresh.length > 0)
      throw new PreconditionError(
        'not_refunded',
        `hold ${fresh[0]!.id} has not been refunded; nothing was refunded now`,
      )
    // A part is shared across the holds refunded together: it cannot be asked of some of them again.
    if (req.amount !== undefined && fresh.length > 0 && fresh.length < holds.length)
      throw new ConflictError(
        'already_refunded',
        `some of these holds were refunded already (${holds.find((h) => h.refunded_at)!.id}): a partial refund takes them all at once`,
      )
    const settled: SettledHold[] = []
    for (const hold of fresh) {
      if (hold.state !== 'settled')
        throw new PreconditionError(
          'hold_not_settled',
          `hold ${hold.id} is ${hold.state}: only a settled hold can be refunded`,
        )
      settled.push({ holdId: hold.id, settlement: await settlementOf(trx, hold.id) })
    }
    const refunds: { hold: HoldRow; refund: Refund }[] =
      fresh.length === 0
        ? []
        : planRefunds(settled, req.reason, req.amount).map((refund, i) => ({ hold: fresh[i]!, refund }))
    // A replay asks for what was given back: the same part, or (no amount) all they charged.
    const before = holds.reduce((sum, h) => sum + h.refunded, 0n)
    const wanted = req.amount ?? holds.reduce((sum, h) => sum + (h.charged ?? 0n), 0n)
    if (fresh.length === 0 && wanted !== before)
      throw new ConflictError(
        'already_refunded',
        `these holds were already refunded ${before} micros (${first.refund_reason}), not ${wanted}`,
      )
    const transfers = refunds.flatMap((r) => r.refund.transfers)
    const at = new Date()
    if (transfers.length > 0) {
      const locked = await lockAccounts(
        trx,
        transfers.flatMap((t) => [t.debit, t.credit]),
      )
      try {
        await recordTransfers(
          trx,
          locked,
          transfers,
          requestHash('refund-holds', {
            holdIds: holdIds.join(','),
            reason: req.reason,
            amount: req.amount?.toString() ?? 'all',
          }),
        )
      } catch (err) {
        if (!(err instanceof InsufficientFundsError)) throw err
        const providers = new Set(refunds.flatMap((r) => [...r.refund.fromProviders.keys()]))
        throw new PreconditionError(
          'refund_not_covered',
          `cannot refund: what the job paid ${[...providers].map((a) => parseAccountId(a).owner).join(', ')} has been paid out (${err.message}); nothing was refunded`,
        )
      }
      for (const { hold, refund } of refunds)
        await trx
          .withSchema(SCHEMA)
          .updateTable('holds')
          .set({ refunded: refund.amount, refunded_at: at, refund_reason: req.reason })
          .where('id', '=', hold.id)
          .execute()
    }
    // Every hold, in id order: refunded now (its reversals just posted) or earlier (read back; a
    // partial refund reverses only the transfers whose share was more than nothing).
    const transferIds: string[] = []
    let amount = 0n
    for (const h of holds) {
      const now = refunds.find((r) => r.hold === h)?.refund
      transferIds.push(...(now ? now.transfers.map((t) => t.id) : await reversalsOf(trx, h.id)))
      amount += now ? now.amount : h.refunded
    }
    return {
      currency: first.currency,
      amount,
      at: new Date(Math.max(...holds.map((h) => (h.refunded_at ?? at).getTime()))),
      reason: req.reason,
      transferIds,
      applied: fresh.length > 0,
    }
  })
}

async function lockHolds(trx: Transaction<BillingDb>, ids: string[]): Promise<HoldRow[]> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('holds')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/** The ids of the transfers a hold's settlement made (each run's provider leg and fee). */
const settlementIds = async (trx: Transaction<BillingDb>, holdId: string) =>
  settlementTransferIds(holdId, await findSettlementLegs(trx, holdId))

/** The reversals a hold's refund posted, in the order they were posted. */
const reversalsOf = async (trx: Transaction<BillingDb>, holdId: string) =>
  (await findTransfers(trx, (await settlementIds(trx, holdId)).map(reversalId))).map((t) => t.id)

/** Those transfers, in the order they were posted. */
const settlementOf = async (trx: Transaction<BillingDb>, holdId: string) =>
  (await findTransfers(trx, await settlementIds(trx, holdId))).map(transferOf)
