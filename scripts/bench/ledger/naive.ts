import type { BillingDb } from '@idlegrid/billing'
import { type Kysely, sql, withSerializationRetry } from '@idlegrid/db'
import {
  type ChainLink,
  GENESIS_HASH,
  linkHash,
  mayGoNegative,
  parseAccountId,
  type TransferRequest,
} from '@idlegrid/ledger-core'

/**
 * The baseline: the obvious way to keep the same invariants, one transfer per
 * transaction. Lock both accounts with SELECT … FOR UPDATE, look the id up
 * for idempotency, check the overdraft flag, lock the chain head, hash,
 * insert, update both balances and the head, commit. It writes the very same
 * tables (same constraints, indexes and trigger), so `ledger verify` checks
 * its ledger too.
 */
export async function postNaively(
  db: Kysely<BillingDb>,
  t: TransferRequest,
): Promise<'created' | 'exists' | 'refused'> {
  return withSerializationRetry(() =>
    db.transaction().execute(async (trx) => {
      const lock = () =>
        sql<{ id: string; balance: bigint }>`
          select id, balance from billing.accounts where id in (${t.debit}, ${t.credit}) for update`.execute(
          trx,
        )
      let accounts = (await lock()).rows
      if (accounts.length < 2) {
        for (const id of [t.debit, t.credit]) {
          const ref = parseAccountId(id)
          await sql`
            insert into billing.accounts (id, owner_id, kind, currency, no_overdraft)
            values (${id}, ${ref.owner}, ${ref.kind}, ${ref.currency}, ${!mayGoNegative(ref.kind)})
            on conflict (id) do nothing`.execute(trx)
        }
        accounts = (await lock()).rows
      }
      const prior = await sql<{ request_hash: string }>`
        select request_hash from billing.transfers where id = ${t.id}`.execute(trx)
      if (prior.rows.length > 0) return prior.rows[0]!.request_hash === t.requestHash ? 'exists' : 'refused'
      const balance = (id: string) => accounts.find((a) => a.id === id)!.balance
      const debitBalanceAfter = balance(t.debit) - t.amount
      const creditBalanceAfter = balance(t.credit) + t.amount
      if (debitBalanceAfter < 0n && !mayGoNegative(parseAccountId(t.debit).kind)) return 'refused'

      await sql`
        insert into billing.chain_heads (currency, seq, hash) values (${t.currency}, 0, ${GENESIS_HASH})
        on conflict (currency) do nothing`.execute(trx)
      const head = (
        await sql<{ seq: bigint; hash: string }>`
          select seq, hash from billing.chain_heads where currency = ${t.currency} for update`.execute(trx)
      ).rows[0]!
      const link: ChainLink = {
        ...t,
        debitBalanceAfter,
        creditBalanceAfter,
        seq: head.seq + 1n,
        postedAt: new Date(),
      }
      const hash = linkHash(head.hash, link)
      await sql`
        insert into billing.transfers (id, debit_account_id, credit_account_id, amount, currency, kind, reference,
          request_hash, debit_balance_after, credit_balance_after, seq, hash, created_at)
        values (${t.id}, ${t.debit}, ${t.credit}, ${t.amount}, ${t.currency}, ${t.kind}, ${t.reference},
          ${t.requestHash}, ${debitBalanceAfter}, ${creditBalanceAfter}, ${link.seq}, ${hash}, ${link.postedAt})`.execute(
        trx,
      )
      await sql`update billing.accounts set balance = ${debitBalanceAfter} where id = ${t.debit}`.execute(trx)
      await sql`update billing.accounts set balance = ${creditBalanceAfter} where id = ${t.credit}`.execute(
        trx,
      )
      await sql`update billing.chain_heads set seq = ${link.seq}, hash = ${hash} where currency = ${t.currency}`.execute(
        trx,
      )
      return 'created'
    }),
  )
}
