import { createHash } from 'node:crypto'
import {
  accountId,
  type Currency,
  planDeposit,
  planHold,
  planPayout,
  planSettlement,
  type TransferRequest,
} from '@idlegrid/ledger-core'

/**
 * The marketplace's money flows as a stream of transfers, seeded. Most of it
 * is jobs: a hold (available → held), then its settlement (held → provider,
 * held → platform fees, held → available for the rest), planned by
 * ledger-core as the service plans them. Mixed in: top-up deposits (rail →
 * customer), provider payouts (provider → rail), retries of a transfer
 * already sent (the same id and body: must not move money again) and holds
 * far beyond the customer's balance (must be refused by the overdraft flag).
 * Currencies: 80 % USD, 15 % USDC, 5 % GRID, fees 5 %, 3 %, 1 %.
 *
 * Each generator owns a slice of the customers, as writers serving different
 * customers would; providers, rails and the platform are shared by all.
 */
const feeBps: Record<Currency, number> = { USD: 500, USDC: 300, GRID: 100 }
export const SEED_BALANCE = 10_000_000_000n // 10,000 units per customer and currency
const UNIT = 1_000_000n

export interface WorkloadOptions {
  seed: number
  /** This generator's customers: customer ids `cus_<first>` … `cus_<first + count − 1>`. */
  firstCustomer: number
  customers: number
  providers: number
  /** Prefix of every id it makes, so that two runs never collide. */
  prefix: string
}

export const customerIds = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `cus_${first + i}`)

/** Deposits giving every customer its starting balance in every currency (not timed). */
export function seedTransfers(customers: readonly string[], prefix: string): TransferRequest[] {
  return customers.flatMap((customerId) =>
    (['USD', 'USDC', 'GRID'] as const).flatMap((currency) =>
      requests(
        planDeposit({
          depositId: `${prefix}seed_${customerId}_${currency}`,
          customerId,
          currency,
          amount: SEED_BALANCE,
          rail: 'sim',
        }),
        'seed',
      ),
    ),
  )
}

export class Workload {
  private readonly rand: () => number
  private seq = 0
  private readonly recent: TransferRequest[] = []

  constructor(private readonly o: WorkloadOptions) {
    this.rand = mulberry32(o.seed)
  }

  /** The next few transfers (one whole job, or one other flow): batches never split a job. */
  next(): TransferRequest[] {
    const r = this.rand()
    const id = `${this.o.prefix}${this.o.firstCustomer}_${this.seq++}`
    const currency: Currency = this.rand() < 0.8 ? 'USD' : this.rand() < 0.75 ? 'USDC' : 'GRID'
    const customerId = `cus_${this.o.firstCustomer + Math.floor(this.rand() * this.o.customers)}`
    const providerId = `prov_${Math.floor(this.rand() * this.o.providers)}`
    let out: TransferRequest[]
    if (r < 0.01 && this.recent.length > 0) {
      out = [this.recent[Math.floor(this.rand() * this.recent.length)]!] // a retry
    } else if (r < 0.02) {
      const hold = {
        id,
        customerId,
        currency,
        amount: SEED_BALANCE * 100n,
        feeBps: feeBps[currency],
        reference: id,
      }
      out = requests(planHold(hold), 'hold') // refused: far beyond the balance
    } else if (r < 0.1) {
      const amount = BigInt(1 + Math.floor(this.rand() * 20)) * UNIT
      out = requests(planDeposit({ depositId: id, customerId, currency, amount, rail: 'sim' }), 'deposit')
    } else if (r < 0.12) {
      const amount = BigInt(1 + Math.floor(this.rand() * 1000)) * 1000n // providers earn steadily; small payouts
      out = requests(planPayout({ payoutId: id, providerId, currency, amount, rail: 'sim' }, 0n), 'payout')
    } else {
      const amount = BigInt(1 + Math.floor(this.rand() * 5)) * UNIT
      const hold = { id, customerId, currency, amount, feeBps: feeBps[currency], reference: `job_${id}` }
      const gpuSeconds = BigInt(Math.floor(this.rand() * 7200))
      const plan = planSettlement(hold, [
        { assignmentId: 'asg', providerId, gpuSeconds, pricePerGpuHour: 2n * UNIT },
      ])
      out = [...requests(planHold(hold), 'hold'), ...requests(plan.transfers, 'settle')]
    }
    if (this.recent.length < 256) this.recent.push(out[0]!)
    else this.recent[this.seq % 256] = out[0]!
    return out
  }

  /** At least `size` transfers, whole flows only. */
  batch(size: number): TransferRequest[] {
    const out: TransferRequest[] = []
    while (out.length < size) out.push(...this.next())
    return out
  }
}

/** Each transfer with its request's fingerprint, as the service computes one per request. */
function requests(transfers: ReturnType<typeof planDeposit>, operation: string): TransferRequest[] {
  return transfers.map((t) => ({
    ...t,
    requestHash: createHash('sha256')
      .update(`${operation}|${t.id}|${t.debit}|${t.credit}|${t.amount}|${t.currency}|${t.kind}`)
      .digest('hex'),
  }))
}

export const platformAccounts = (currency: Currency) => [
  accountId({ owner: 'sim', kind: 'external', currency }),
  accountId({ owner: 'platform', kind: 'platform_fees', currency }),
]

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
