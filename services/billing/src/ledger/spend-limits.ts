import type { Kysely } from '@idlegrid/db'
import { DomainError } from '@idlegrid/errors'
import {
  type Currency,
  currencies,
  type Micros,
  monthStartUtc,
  ownerAccounts,
  spendHeadroom,
} from '@idlegrid/ledger-core'
import { readBalances } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'
import { deleteSpendLimit, readSpendLimits, upsertSpendLimit } from '../db/spend-limits.js'

/** A customer's limit in one currency and where this month stands against it. */
export interface SpendLimitView {
  currency: Currency
  limit: Micros
  spent: Micros
  held: Micros
  remaining: Micros
  /** The share of the limit at which a hold warns; undefined: never. */
  alertAtPercent: number | undefined
  monthStart: Date
  updatedAt: Date
}

/** The customer's limits (in currency order), each with this month's charges and what is held now. */
export async function spendLimitsOf(
  db: Kysely<BillingDb>,
  customerId: string,
  now = new Date(),
): Promise<SpendLimitView[]> {
  const monthStart = monthStartUtc(now)
  const limits = [...(await readSpendLimits(db, [customerId], currencies, monthStart)).values()]
  const heldIds = limits.map((l) => ownerAccounts(customerId, l.currency).held)
  const balances = await readBalances(db, heldIds)
  return limits
    .map((l) => {
      const held = balances.get(ownerAccounts(customerId, l.currency).held) ?? 0n
      return {
        currency: l.currency,
        limit: l.limit,
        spent: l.spent,
        held,
        remaining: spendHeadroom(l, held),
        alertAtPercent: l.alertAtPercent,
        monthStart,
        updatedAt: l.updatedAt,
      }
    })
    .sort((a, b) => currencies.indexOf(a.currency) - currencies.indexOf(b.currency))
}

/** Sets (or replaces) the limit and its alert share; answers where the month stands against the new one. */
export async function setSpendLimit(
  db: Kysely<BillingDb>,
  customerId: string,
  currency: Currency,
  limit: Micros,
  alertAtPercent?: number,
): Promise<SpendLimitView> {
  await upsertSpendLimit(db, customerId, currency, limit, alertAtPercent)
  return (await spendLimitsOf(db, customerId)).find((l) => l.currency === currency)!
}

/** Removes the limit; NotFoundError when the customer had none in that currency. */
export async function removeSpendLimit(
  db: Kysely<BillingDb>,
  customerId: string,
  currency: Currency,
): Promise<void> {
  if (!(await deleteSpendLimit(db, customerId, currency))) {
    throw new DomainError(
      'not_found',
      'spend_limit_not_found',
      `${customerId} has no monthly spending limit in ${currency}`,
    )
  }
}
