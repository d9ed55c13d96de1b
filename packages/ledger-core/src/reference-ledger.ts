import { ConflictError, NotFoundError } from '@idlegrid/errors'
import { mayGoNegative, parseAccountId } from './accounts.js'
import { type AuditReport, LedgerAudit } from './audit.js'
import { type ChainedTransfer, type ChainHead, chainTransfers } from './chain.js'
import { planReversal, reversalId } from './corrections.js'
import { type HoldOutcome, type HoldState, resolveHold } from './holds.js'
import type { Currency, Micros } from './money.js'
import { type PayoutRequest, planPayout } from './payouts.js'
import {
  type DepositRequest,
  type Hold,
  planDeposit,
  planExpiry,
  planHold,
  planSettlement,
  planVoid,
  type SettlementLeg,
} from './plans.js'
import { postTransfers, type Transfer } from './transfers.js'

/**
 * The whole ledger in memory, with the service's semantics: the planners,
 * the overdraft rules, idempotency by id (a repeat replays, the same id with
 * another body conflicts) and holds resolved exactly once. It is the
 * reference the service is tested against (same operations, same outcomes,
 * same balances) and what property tests drive in memory. Not for production:
 * it keeps every transfer.
 */
export class ReferenceLedger {
  readonly balances = new Map<string, Micros>()
  readonly chained: ChainedTransfer[] = []
  readonly holds = new Map<string, { hold: Hold; state: HoldState; key: string | null }>()
  private readonly heads = new Map<Currency, ChainHead>()
  /** Request fingerprints by transfer id, for idempotency. */
  private readonly requests = new Map<string, string>()
  private readonly byId = new Map<string, Transfer>()
  private clock = Date.UTC(2026, 10, 27)

  /** Returns true when money moved, false for a replay; throws what the service would. */
  deposit(req: DepositRequest): boolean {
    return this.once(req.depositId, fingerprint('deposit', req), () => planDeposit(req))
  }

  placeHold(hold: Hold): boolean {
    const key = fingerprint('hold', hold)
    const existing = this.holds.get(hold.id)
    if (existing) return replay(fingerprint('hold', existing.hold), key, `holdId ${hold.id}`)
    this.post(planHold(hold), key)
    this.holds.set(hold.id, { hold, state: 'pending', key: null })
    return true
  }

  settle(holdId: string, legs: readonly SettlementLeg[]): boolean {
    return this.resolve(
      holdId,
      'settled',
      fingerprint('settle', legs),
      (hold) => planSettlement(hold, legs).transfers,
    )
  }

  void(holdId: string): boolean {
    return this.resolve(holdId, 'voided', 'void', planVoid)
  }

  expire(holdId: string): boolean {
    return this.resolve(holdId, 'expired', 'expire', planExpiry)
  }

  payout(req: PayoutRequest, minimum: Micros): boolean {
    return this.once(req.payoutId, fingerprint('payout', req), () => planPayout(req, minimum))
  }

  reverse(transferId: string, reason: string): boolean {
    const original = this.byId.get(transferId)
    if (!original) throw new NotFoundError('transfer', transferId)
    const reversal = planReversal(original, reason)
    return this.once(reversalId(transferId), fingerprint('reverse', { transferId, reason }), () => [reversal])
  }

  transfer(id: string): Transfer | undefined {
    return this.byId.get(id)
  }

  balance(account: string): Micros {
    return this.balances.get(account) ?? 0n
  }

  /** LedgerAudit over what this ledger holds: what `ledger verify` would say of it. */
  audit(): AuditReport {
    const audit = new LedgerAudit(
      [...this.balances].map(([id, balance]) => ({
        id,
        balance,
        noOverdraft: !mayGoNegative(parseAccountId(id).kind),
      })),
    )
    for (const t of this.chained) audit.add(t)
    const pending = [...this.holds.values()].filter((h) => h.state === 'pending').map((h) => h.hold)
    return audit.finish([...this.heads.values()], pending)
  }

  private once(id: string, key: string, plan: () => Transfer[]): boolean {
    const seen = this.requests.get(id)
    if (seen !== undefined) return replay(seen, key, id)
    this.post(plan(), key)
    return true
  }

  private resolve(holdId: string, outcome: HoldOutcome, key: string, plan: (hold: Hold) => Transfer[]) {
    const entry = this.holds.get(holdId)
    if (!entry) throw new NotFoundError('hold', holdId)
    if (resolveHold({ state: entry.state, resolutionKey: entry.key }, outcome, key, holdId) === 'replay') {
      return false
    }
    this.post(plan(entry.hold), key)
    entry.state = outcome
    entry.key = key
    return true
  }

  /** All or nothing, as one database transaction. */
  private post(transfers: readonly Transfer[], key: string): void {
    const { balances, posted } = postTransfers(this.balances, transfers)
    this.clock += 1000
    const { chained, heads } = chainTransfers(
      this.heads,
      posted.map((t) => ({ ...t, requestHash: key })),
      new Date(this.clock),
    )
    for (const [id, balance] of balances) this.balances.set(id, balance)
    for (const [currency, head] of heads) this.heads.set(currency, head)
    for (const t of chained) {
      this.chained.push(t)
      this.byId.set(t.id, t)
      this.requests.set(t.id, key)
    }
  }
}

function replay(stored: string, key: string, what: string): false {
  if (stored !== key) {
    throw new ConflictError('idempotency_key_reused', `${what} was already used for a different request`)
  }
  return false
}

const fingerprint = (operation: string, body: unknown) =>
  JSON.stringify([operation, body], (_, v) => (typeof v === 'bigint' ? v.toString() : v))
