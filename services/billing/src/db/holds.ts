import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import type {
  ChainHead,
  Currency,
  Hold,
  HoldOutcome,
  Micros,
  SettledLeg,
  Settlement,
  SpendLimit,
} from '@idlegrid/ledger-core'
import { type BillingDb, type HoldTable, SCHEMA } from './schema.js'
import { spendLimitsSelect } from './spend-limits.js'

export type HoldRow = Selectable<HoldTable>

export function holdOf(row: HoldRow): Hold {
  return {
    id: row.id,
    customerId: row.customer_id,
    currency: row.currency,
    amount: row.amount,
    feeBps: row.fee_bps,
    reference: row.reference,
    ...(row.micros_per_usd === null ? {} : { microsPerUsd: row.micros_per_usd }),
  }
}

export async function findHold(db: Kysely<BillingDb>, id: string): Promise<HoldRow | undefined> {
  return db.withSchema(SCHEMA).selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The holds among `ids` that exist (a batch's idempotency lookup). */
export async function findHolds(trx: Transaction<BillingDb>, ids: readonly string[]): Promise<HoldRow[]> {
  if (ids.length === 0) return []
  return trx
    .withSchema(SCHEMA)
    .selectFrom('holds')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()
}

/** What a batch of holds is planned on when it is planned without locks (placeHolds). */
export interface HoldSnapshot {
  /** Of the accounts asked for, those that exist. */
  balances: Map<string, Micros>
  /** Of the currencies asked for, the chains that have a head. */
  heads: Map<Currency, ChainHead>
  /** Of the currencies asked for, those an operator set a rate for. */
  rates: Map<Currency, Micros>
  /** Whether any of the hold ids asked for exists already. */
  holdExists: boolean
  /** Of the customers and currencies asked for, the spending limits set, by spendLimitKey. */
  limits: Map<string, SpendLimit>
}

/**
 * Balances, chain heads, rates, hold ids and spending limits as of one
 * moment: one statement, no locks. The hold ids go as a list, not an array: a prepared `= any($1)`
 * keeps whatever plan it got while the table was small, a scan of every hold
 * once it is not (see docs/benchmarks.md, eighth session).
 */
export async function readHoldSnapshot(
  db: Kysely<BillingDb>,
  ask: {
    accounts: readonly string[]
    currencies: readonly Currency[]
    holdIds: readonly string[]
    customers: readonly string[]
    monthStart: Date
  },
): Promise<HoldSnapshot> {
  const holdIn = ask.holdIds.length > 0 ? sql`id in (${sql.join(ask.holdIds)})` : sql`false`
  type Row = {
    kind: 'account' | 'head' | 'rate' | 'hold' | 'limit'
    key: string
    value: string
    hash: string
  }
  const { rows } = await sql<Row>`
    select 'account' as kind, id as key, balance::text as value, null as hash
      from billing.accounts where id = any(${ask.accounts}::text[])
    union all
    select 'head', currency, seq::text, hash from billing.chain_heads where currency = any(${ask.currencies}::text[])
    union all
    select 'rate', currency, micros_per_usd::text, null
      from billing.conversion_rates where currency = any(${ask.currencies}::text[])
    union all
    (select 'hold', id, '', null from billing.holds where ${holdIn} limit 1)
    union all
    select 'limit', l.currency || ':' || l.customer_id, l.monthly_limit || ':' || coalesce(l.alert_at_percent, 0), l.spent::text
      from (${spendLimitsSelect(ask.customers, ask.currencies, ask.monthStart)}) l`.execute(db)
  const snapshot: HoldSnapshot = {
    balances: new Map(),
    heads: new Map(),
    rates: new Map(),
    holdExists: false,
    limits: new Map(),
  }
  for (const row of rows) {
    if (row.kind === 'account') snapshot.balances.set(row.key, BigInt(row.value))
    else if (row.kind === 'head') {
      const currency = row.key as Currency
      snapshot.heads.set(currency, { currency, seq: BigInt(row.value), hash: row.hash })
    } else if (row.kind === 'rate') snapshot.rates.set(row.key as Currency, BigInt(row.value))
    // The key is spendLimitKey's: currency, colon, customer; the value the limit, colon, its alert share (0: none).
    else if (row.kind === 'limit') {
      const [limit, alert] = row.value.split(':')
      snapshot.limits.set(row.key, {
        limit: BigInt(limit!),
        spent: BigInt(row.hash),
        alertAtPercent: Number(alert) || undefined,
      })
    } else snapshot.holdExists = true
  }
  return snapshot
}

/** Locks the hold so that two resolutions of it run one after the other. */
export async function lockHold(trx: Transaction<BillingDb>, id: string): Promise<HoldRow | undefined> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('holds')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export interface NewHold {
  hold: Hold
  requestHash: string
  expiresAt: Date
}

/**
 * The statement inserting pending holds, however many; undefined when there
 * are none. A batch of holds runs it inside the posting that moves their
 * funds (writePosting's `alongside`): one round trip for both.
 */
export function insertHoldsQuery(db: Kysely<BillingDb>, holds: readonly NewHold[]) {
  if (holds.length === 0) return undefined
  return db
    .withSchema(SCHEMA)
    .insertInto('holds')
    .values(
      holds.map(({ hold, requestHash, expiresAt }) => ({
        id: hold.id,
        customer_id: hold.customerId,
        currency: hold.currency,
        amount: hold.amount,
        fee_bps: hold.feeBps,
        state: 'pending' as const,
        reference: hold.reference,
        request_hash: requestHash,
        resolution_hash: null,
        provider_id: null,
        charged: null,
        provider_earned: null,
        fee: null,
        released: null,
        resolved_at: null,
        expires_at: expiresAt,
        micros_per_usd: hold.microsPerUsd ?? null,
      })),
    )
}

/** Records how a locked, pending hold was resolved; returns the updated row. */
export async function resolveHoldRow(
  trx: Transaction<BillingDb>,
  id: string,
  outcome: HoldOutcome,
  resolutionHash: string,
  settlement?: { providerId: string; plan: Settlement },
): Promise<HoldRow> {
  return trx
    .withSchema(SCHEMA)
    .updateTable('holds')
    .set({
      state: outcome,
      resolution_hash: resolutionHash,
      resolved_at: sql<Date>`now()`,
      ...(settlement
        ? {
            provider_id: settlement.providerId,
            charged: settlement.plan.charged,
            provider_earned: settlement.plan.provider,
            fee: settlement.plan.fee,
            released: settlement.plan.released,
          }
        : {}),
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Pending holds whose expiry has passed, soonest first. */
export async function findDueHolds(db: Kysely<BillingDb>, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('holds')
    .select('id')
    .where('state', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Pending holds placed before `placedBefore`, by id after `afterId`. Read
 * through the pending holds' partial index (every hold placed since holds
 * expire has an expiry), so the cost is the number pending, not all holds.
 */
export async function findPendingHolds(
  db: Kysely<BillingDb>,
  query: { placedBefore: Date; afterId: string; limit: number },
): Promise<HoldRow[]> {
  return (
    db
      .withSchema(SCHEMA)
      .selectFrom('holds')
      .selectAll()
      // Literal, not a parameter: a generic plan uses the partial index only for its own text.
      .where(sql<boolean>`state = 'pending' and expires_at is not null`)
      .where('created_at', '<', query.placedBefore)
      .where('id', '>', query.afterId)
      .orderBy('id')
      .limit(query.limit)
      .execute()
  )
}

/** Records the runs a settlement paid (what the money was for; see migration settlement_legs). */
export async function insertSettlementLegs(
  trx: Transaction<BillingDb>,
  holdId: string,
  legs: readonly SettledLeg[],
): Promise<void> {
  if (legs.length === 0) return
  await trx
    .withSchema(SCHEMA)
    .insertInto('settlement_legs')
    .values(
      legs.map((l, position) => ({
        hold_id: holdId,
        position,
        assignment_id: l.assignmentId,
        provider_id: l.providerId,
        gpu_seconds: l.gpuSeconds,
        price_per_gpu_hour: l.pricePerGpuHour,
        cost: l.cost,
        charged: l.charged,
        fee: l.fee,
        provider_amount: l.provider,
      })),
    )
    .execute()
}

export async function findSettlementLegs(db: Kysely<BillingDb>, holdId: string): Promise<SettledLeg[]> {
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('settlement_legs')
    .selectAll()
    .where('hold_id', '=', holdId)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({
    assignmentId: r.assignment_id,
    providerId: r.provider_id,
    gpuSeconds: r.gpu_seconds,
    pricePerGpuHour: r.price_per_gpu_hour,
    cost: r.cost,
    charged: r.charged,
    fee: r.fee,
    provider: r.provider_amount,
  }))
}
