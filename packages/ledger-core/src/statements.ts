import { parseAccountId } from './accounts.js'
import type { Micros } from './money.js'
import type { SettledLeg } from './plans.js'
import type { TransferKind } from './transfers.js'

/**
 * Statements and invoices are read from the ledger's own rows: every line is
 * a transfer (with its place in the hash chain), and every total is checked
 * against the balances the transfers recorded, so a statement that does not
 * add up says so instead of printing a number.
 */
export interface LedgerRow {
  id: string
  seq: bigint
  hash: string
  postedAt: Date
  kind: TransferKind
  reference: string
  debit: string
  credit: string
  amount: Micros
  debitBalanceAfter: Micros
  creditBalanceAfter: Micros
}

export interface StatementEntry {
  transferId: string
  seq: bigint
  hash: string
  postedAt: Date
  kind: TransferKind
  reference: string
  /** Signed: positive credits the account, negative debits it. */
  amount: Micros
  balanceAfter: Micros
}

export interface AccountStatement {
  account: string
  opening: Micros
  closing: Micros
  credits: Micros
  debits: Micros
  entries: StatementEntry[]
  /** Each entry's balance after equals opening plus the entries so far. */
  consistent: boolean
}

/**
 * One account over a period: `opening` is its balance before the first
 * entry (the balance after the last transfer before the period), `rows` the
 * transfers touching it within the period in chain order.
 */
export function accountStatement(
  account: string,
  opening: Micros,
  rows: readonly LedgerRow[],
): AccountStatement {
  parseAccountId(account)
  let running = opening
  let consistent = true
  let credits = 0n
  let debits = 0n
  const entries = rows.map((r): StatementEntry => {
    const credit = r.credit === account
    if (!credit && r.debit !== account) throw new Error(`transfer ${r.id} does not touch ${account}`)
    const amount = credit ? r.amount : -r.amount
    if (credit) credits += r.amount
    else debits += r.amount
    running += amount
    const balanceAfter = credit ? r.creditBalanceAfter : r.debitBalanceAfter
    if (balanceAfter !== running) consistent = false
    return {
      transferId: r.id,
      seq: r.seq,
      hash: r.hash,
      postedAt: r.postedAt,
      kind: r.kind,
      reference: r.reference,
      amount,
      balanceAfter,
    }
  })
  return { account, opening, closing: running, credits, debits, entries, consistent }
}

/** What a job's hold came to: each run's work, the fee, what was released. */
export interface Invoice {
  lines: SettledLeg[]
  charged: Micros
  fee: Micros
  provider: Micros
  /** The lines add up to the hold's recorded totals. */
  consistent: boolean
}

export function invoiceOf(
  totals: { charged: Micros; fee: Micros; provider: Micros },
  lines: readonly SettledLeg[],
): Invoice {
  const sum = (pick: (l: SettledLeg) => Micros) => lines.reduce((s, l) => s + pick(l), 0n)
  const charged = sum((l) => l.charged)
  const fee = sum((l) => l.fee)
  const provider = sum((l) => l.provider)
  return {
    lines: [...lines],
    charged,
    fee,
    provider,
    consistent:
      charged === totals.charged &&
      fee === totals.fee &&
      provider === totals.provider &&
      lines.every((l) => l.fee + l.provider === l.charged && l.charged <= l.cost),
  }
}
