import type { Kysely, Transaction } from '@idlegrid/db'
import { ConflictError, InsufficientFundsError, NotFoundError, PreconditionError } from '@idlegrid/errors'
import {
  type Currency,
  holdTransferIds,
  type Micros,
  parseAccountId,
  planRefund,
  reversalId,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { findSettlementLegs, type HoldRow, lockHold } from '../db/holds.js'
import { type BillingDb, SCHEMA } from '../db/schema.js'
import { transferOf } from '../db/transfers.js'
import { recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

export interface RefundResult {
  holdId: string
  currency: Currency
  amount: Micros
  at: Date
  reason: string
  transferIds: string[]
  /** False when the hold had already been refunded for this reason (a replay). */
  applied: boolean
}

/**
 * Refunds a settled hold whole (an operator upholding a complaint about the
 * job): every transfer its settlement made is reversed in one posting
 * (ledger-core planRefund), and the hold records what was given back, when
 * and why — so the customer's month no longer counts it against a spending
 * limit. Under the hold's lock: refunded once; a retry with the same reason
 * replays, another reason is a conflict. A provider already paid out what the
 * job earned it cannot give it back: then nothing is refunded.
 */
export async function refundHold(
  db: Kysely<BillingDb>,
  req: { holdId: string; reason: string },
): Promise<RefundResult> {
  return inLedgerTransaction(db, async (trx) => {
    const hold = await lockHold(trx, req.holdId)
    if (!hold) throw new NotFoundError('hold', req.holdId)
    if (hold.refunded_at) {
      if (hold.refund_reason !== req.reason)
        throw new ConflictError(
          'already_refunded',
          `hold ${hold.id} was already refunded at ${hold.refunded_at.toISOString()} (${hold.refund_reason})`,
        )
      return { ...resultOf(hold, hold.refunded_at, await reversalIds(trx, hold)), applied: false }
    }
    if (hold.state !== 'settled')
      throw new PreconditionError(
        'hold_not_settled',
        `hold ${hold.id} is ${hold.state}: only a settled hold can be refunded`,
      )
    const ids = await settlementTransferIds(trx, hold.id)
    const settlement = ids.length === 0 ? [] : await readTransfers(trx, ids)
    const refund = planRefund(hold.id, settlement.map(transferOf), req.reason)
    const locked = await lockAccounts(
      trx,
      refund.transfers.flatMap((t) => [t.debit, t.credit]),
    )
    try {
      await recordTransfers(
        trx,
        locked,
        refund.transfers,
        requestHash('refund-hold', { holdId: hold.id, reason: req.reason }),
      )
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err
      const short = [...refund.fromProviders.keys()].map((a) => parseAccountId(a).owner).join(', ')
      throw new PreconditionError(
        'refund_not_covered',
        `hold ${hold.id} cannot be refunded: what it paid ${short} has been paid out (${err.message}); nothing was refunded`,
      )
    }
    const at = new Date()
    await trx
      .withSchema(SCHEMA)
      .updateTable('holds')
      .set({ refunded: refund.amount, refunded_at: at, refund_reason: req.reason })
      .where('id', '=', hold.id)
      .execute()
    return {
      ...resultOf(
        { ...hold, refunded: refund.amount, refund_reason: req.reason },
        at,
        refund.transfers.map((t) => t.id),
      ),
      applied: true,
    }
  })
}

const resultOf = (hold: HoldRow, at: Date, transferIds: string[]): Omit<RefundResult, 'applied'> => ({
  holdId: hold.id,
  currency: hold.currency,
  amount: hold.refunded,
  at,
  reason: hold.refund_reason ?? '',
  transferIds,
})

/** The ids of the transfers a hold's settlement made that moved money (each run's provider leg and fee). */
async function settlementTransferIds(trx: Transaction<BillingDb>, holdId: string): Promise<string[]> {
  const ids = holdTransferIds(holdId)
  return (await findSettlementLegs(trx, holdId)).flatMap((l) => [
    ...(l.provider > 0n ? [ids.provider(l.assignmentId)] : []),
    ...(l.fee > 0n ? [ids.fee(l.assignmentId)] : []),
  ])
}

async function readTransfers(trx: Transaction<BillingDb>, ids: string[]) {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('transfers')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('seq')
    .execute()
}

async function reversalIds(trx: Transaction<BillingDb>, hold: HoldRow): Promise<string[]> {
  return (await settlementTransferIds(trx, hold.id)).map(reversalId)
}
