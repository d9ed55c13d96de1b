import { type Kysely, sql } from '@idlegrid/db'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import {
  type AccountStatement,
  accountStatement,
  type Currency,
  holdTransferIds,
  type Invoice,
  invoiceOf,
  type LedgerRow,
  type Micros,
  ownerAccounts,
  reversalId,
  settlementTransferIds,
  USD_RATE,
} from '@idlegrid/ledger-core'
import { findHold, findSettlementLegs, type HoldRow } from '../db/holds.js'
import { type BillingDb, SCHEMA, type TransferTable } from '../db/schema.js'
import { findTransfers } from '../db/transfers.js'

/** More lines than this per account and period: ask for a shorter period. */
export const MAX_STATEMENT_ENTRIES = 10_000

export interface Statement {
  ownerId: string
  currency: Currency
  from: Date
  to: Date
  accounts: (AccountStatement & { kind: 'available' | 'held' | 'earned' })[]
  /** The currency's chain at the end of the period: its last transfer's position and hash. */
  chain: { seq: bigint; hash: string }
}

const rowOf = (r: TransferTable): LedgerRow => ({
  id: r.id,
  seq: r.seq,
  hash: r.hash,
  postedAt: r.created_at,
  kind: r.kind,
  reference: r.reference,
  debit: r.debit_account_id,
  credit: r.credit_account_id,
  amount: r.amount,
  debitBalanceAfter: r.debit_balance_after,
  creditBalanceAfter: r.credit_balance_after,
})

/**
 * An owner's statement in one currency for [from, to): per account
 * (available, held, earned), the balance before, every transfer in chain
 * order with the balance it left, and the balance after — read from the
 * transfers themselves, and checked to add up (ledger-core accountStatement).
 */
export async function getStatement(
  db: Kysely<BillingDb>,
  req: { ownerId: string; currency: Currency; from: Date; to: Date },
): Promise<Statement> {
  if (req.from >= req.to) throw new ValidationError('from', 'must be before to')
  const ids = ownerAccounts(req.ownerId, req.currency)
  const accounts = await Promise.all(
    (['available', 'held', 'earned'] as const).map(async (kind) => {
      const account = ids[kind]
      const rows = await sql<TransferTable>`
        select * from (
          select * from billing.transfers
          where debit_account_id = ${account} and created_at >= ${req.from} and created_at < ${req.to}
          union all
          select * from billing.transfers
          where credit_account_id = ${account} and created_at >= ${req.from} and created_at < ${req.to}
        ) t order by seq limit ${MAX_STATEMENT_ENTRIES + 1}`.execute(db)
      if (rows.rows.length > MAX_STATEMENT_ENTRIES) {
        throw new ValidationError(
          'from',
          `more than ${MAX_STATEMENT_ENTRIES} entries for ${account}; ask for a shorter period`,
        )
      }
      return {
        kind,
        ...accountStatement(account, await balanceBefore(db, account, req.from), rows.rows.map(rowOf)),
      }
    }),
  )
  const last = await db
    .withSchema(SCHEMA)
    .selectFrom('transfers')
    .select(['seq', 'hash'])
    .where('currency', '=', req.currency)
    .where('created_at', '<', req.to)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return { ...req, accounts, chain: last ?? { seq: 0n, hash: '' } }
}

/** The balance an account was left with by its last transfer before `at` (0 if none). */
async function balanceBefore(db: Kysely<BillingDb>, account: string, at: Date): Promise<Micros> {
  const row = await sql<{ balance: bigint }>`
    select balance from (
      (select seq, debit_balance_after as balance from billing.transfers
       where debit_account_id = ${account} and created_at < ${at} order by seq desc limit 1)
      union all
      (select seq, credit_balance_after as balance from billing.transfers
       where credit_account_id = ${account} and created_at < ${at} order by seq desc limit 1)
    ) t order by seq desc limit 1`.execute(db)
  return row.rows[0]?.balance ?? 0n
}

export interface JobInvoice extends Invoice {
  hold: HoldRow
  microsPerUsd: Micros
  transfers: LedgerRow[]
}

/** What a job's hold came to: its runs (settlement legs), the totals, and the transfers that moved the money. */
export async function getInvoice(db: Kysely<BillingDb>, holdId: string): Promise<JobInvoice> {
  const hold = await findHold(db, holdId)
  if (!hold) throw new NotFoundError('hold', holdId)
  const lines = await findSettlementLegs(db, holdId)
  const ids = holdTransferIds(holdId)
  const settlement = settlementTransferIds(holdId, lines)
  const transfers = await findTransfers(db, [
    ids.hold,
    ids.release,
    ids.void,
    ids.expire,
    ...settlement,
    // A refund reverses the settlement's transfers: the reversals are the invoice's too.
    ...(hold.refunded_at ? settlement.map(reversalId) : []),
  ])
  return {
    ...invoiceOf(
      { charged: hold.charged ?? 0n, fee: hold.fee ?? 0n, provider: hold.provider_earned ?? 0n },
      lines,
    ),
    hold,
    microsPerUsd: hold.micros_per_usd ?? USD_RATE,
    transfers: transfers.map(rowOf),
  }
}
