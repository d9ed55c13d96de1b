import { type Kysely, sql } from '@idlegrid/db'
import {
  accountId,
  type BatchOutcome,
  type Currency,
  type Micros,
  planPayout,
  postTransfers,
} from '@idlegrid/ledger-core'
import { lockTailOf } from '../db/chain.js'
import { type BillingDb, SCHEMA } from '../db/schema.js'
import { findTransfer } from '../db/transfers.js'
import { postTransferBatch } from './batch.js'
import { assertSameRequest, writeChained } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

export interface PayoutRequest {
  payoutId: string
  providerId: string
  currency: Currency
  /** 'all' pays out everything earned so far. */
  amount: Micros | 'all'
  rail: string
}

export interface PayoutResult {
  payoutId: string
  amount: Micros
  /** What the provider still has earned after this payout. */
  earnedAfter: Micros
  applied: boolean
}

/**
 * Pays a provider's earnings out to a rail (provider earnings → the rail's
 * external account), refused below the currency's minimum or beyond what
 * was earned. Provider accounts are shared accounts (locked under the chain
 * head), so the payout id is looked up there: a retry, even a concurrent
 * one, replays the first payout instead of finding the money gone.
 */
export async function requestPayout(
  db: Kysely<BillingDb>,
  req: PayoutRequest,
  minimum: Micros,
): Promise<PayoutResult> {
  const hash = requestHash('payout', { ...req, amount: String(req.amount) })
  const earnings = accountId({ owner: req.providerId, kind: 'provider_earnings', currency: req.currency })
  const rail = accountId({ owner: req.rail, kind: 'external', currency: req.currency })
  return inLedgerTransaction(db, async (trx) => {
    const tail = await lockTailOf(trx, [req.currency], [earnings, rail])
    const existing = await findTransfer(trx, req.payoutId)
    if (existing) {
      assertSameRequest(existing.request_hash, hash, `payoutId ${req.payoutId}`)
      return {
        payoutId: existing.id,
        amount: existing.amount,
        earnedAfter: existing.debit_balance_after,
        applied: false,
      }
    }
    const earned = tail.balances.get(earnings) ?? 0n
    const amount = req.amount === 'all' ? earned : req.amount
    const transfers = planPayout({ ...req, amount }, minimum)
    const { balances, posted } = postTransfers(tail.balances, transfers)
    await writeChained(
      trx,
      tail.heads,
      posted.map((t) => ({ ...t, requestHash: hash })),
      balances,
    )
    return { payoutId: req.payoutId, amount, earnedAfter: posted[0]!.debitBalanceAfter, applied: true }
  })
}

/**
 * A payout run: every provider whose earnings in `currency` reach the
 * minimum is paid all of them, as one batch (postTransferBatch). Payout ids
 * are `payout_<runId>_<provider>`: running the same run again pays nobody
 * twice.
 */
export async function runPayouts(
  db: Kysely<BillingDb>,
  run: { runId: string; currency: Currency; rail: string; minimum: Micros },
): Promise<BatchOutcome[]> {
  const due = await db
    .withSchema(SCHEMA)
    .selectFrom('accounts')
    .select(['owner_id', 'balance'])
    .where('kind', '=', 'provider_earnings')
    .where('currency', '=', run.currency)
    .where('balance', '>=', sql<bigint>`greatest(${run.minimum.toString()}::bigint, 1)`)
    .orderBy('owner_id')
    .execute()
  const requests = due.flatMap((a) =>
    planPayout(
      {
        payoutId: `payout_${run.runId}_${a.owner_id}`,
        providerId: a.owner_id,
        currency: run.currency,
        amount: a.balance,
        rail: run.rail,
      },
      run.minimum,
    ).map((t) => ({ ...t, requestHash: requestHash('payout-run', { runId: run.runId, payoutId: t.id }) })),
  )
  return requests.length === 0 ? [] : postTransferBatch(db, requests)
}
