import type { Kysely, Transaction } from '@idlegrid/db'
import type { BillingDb } from '../db/schema.js'

/**
 * Errors that mean "another transaction got there first": a unique violation
 * (the same new id inserted concurrently), a serialization failure or a
 * deadlock. Re-running the whole transaction then sees the winner's committed
 * rows and takes the idempotent or conflict path.
 */
const raced = new Set(['23505', '40001', '40P01'])
const ATTEMPTS = 5

export const lostRace = (err: unknown): boolean => {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && raced.has(code)
}

/** Runs one ledger operation in one transaction, re-running it when it lost a race. */
export async function inLedgerTransaction<T>(
  db: Kysely<BillingDb>,
  fn: (trx: Transaction<BillingDb>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn)
    } catch (err) {
      if (!lostRace(err) || attempt >= ATTEMPTS) throw err
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt))
    }
  }
}
