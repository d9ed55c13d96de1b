import { type Kysely, sql } from '@idlegrid/db'
import { type AuditReport, LedgerAudit } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from '../db/schema.js'

const PAGE = 5_000

/**
 * `ledger verify`: replays every transfer of every chain from the database
 * through ledger-core's LedgerAudit (hashes, sequence, balances after each
 * transfer, overdraft flags) and compares the result with the stored
 * accounts, chain heads and pending holds. Reads one snapshot (REPEATABLE
 * READ, read only), so it may run while the service writes; transfers are
 * streamed a page at a time, accounts are held in memory.
 */
export async function verifyLedger(db: Kysely<BillingDb>): Promise<AuditReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const scoped = trx.withSchema(SCHEMA)
      const accounts = await scoped.selectFrom('accounts').select(['id', 'balance', 'no_overdraft']).execute()
      const audit = new LedgerAudit(
        accounts.map((a) => ({ id: a.id, balance: a.balance, noOverdraft: a.no_overdraft })),
      )
      let after: { currency: string; seq: bigint } | undefined
      for (;;) {
        const page = await scoped
          .selectFrom('transfers')
          .selectAll()
          .$if(after !== undefined, (q) =>
            q.where(sql<boolean>`(currency, seq) > (${after!.currency}, ${after!.seq.toString()}::bigint)`),
          )
          .orderBy('currency')
          .orderBy('seq')
          .limit(PAGE)
          .execute()
        for (const r of page) {
          audit.add({
            id: r.id,
            debit: r.debit_account_id,
            credit: r.credit_account_id,
            amount: r.amount,
            currency: r.currency,
            kind: r.kind,
            reference: r.reference,
            requestHash: r.request_hash,
            debitBalanceAfter: r.debit_balance_after,
            creditBalanceAfter: r.credit_balance_after,
            seq: r.seq,
            hash: r.hash,
            postedAt: r.created_at,
          })
        }
        if (page.length < PAGE) break
        const last = page[page.length - 1]!
        after = { currency: last.currency, seq: last.seq }
      }
      const heads = await scoped.selectFrom('chain_heads').select(['currency', 'seq', 'hash']).execute()
      const pending = await scoped
        .selectFrom('holds')
        .select(['id', 'customer_id', 'currency', 'amount'])
        .where('state', '=', 'pending')
        .execute()
      return audit.finish(
        heads,
        pending.map((h) => ({ id: h.id, customerId: h.customer_id, currency: h.currency, amount: h.amount })),
      )
    })
}
