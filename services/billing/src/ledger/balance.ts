import type { Kysely } from '@idlegrid/db'
import { type Currency, type Micros, ownerAccounts } from '@idlegrid/ledger-core'
import { readBalances } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'

export interface Balance {
  available: Micros
  held: Micros
  earned: Micros
  currency: Currency
}

/** One owner's balances in one currency; an owner never seen has zero everywhere. */
export async function getBalance(db: Kysely<BillingDb>, owner: string, currency: Currency): Promise<Balance> {
  const ids = ownerAccounts(owner, currency)
  const balances = await readBalances(db, [ids.available, ids.held, ids.earned])
  return {
    available: balances.get(ids.available) ?? 0n,
    held: balances.get(ids.held) ?? 0n,
    earned: balances.get(ids.earned) ?? 0n,
    currency,
  }
}
