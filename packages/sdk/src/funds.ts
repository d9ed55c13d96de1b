import { type Send, sendJson } from './transport.js'
import type {
  Balance,
  BalanceQuery,
  DepositRequest,
  Payout,
  PayoutRequest,
  SpendLimit,
  SpendLimitRequest,
  Statement,
  StatementQuery,
  UsageQuery,
  UsageReport,
} from './types.js'

export interface MoneyMoveOptions {
  /** Retries with the same key move the money once. A fresh key is made when none is given. */
  idempotencyKey?: string
  signal?: AbortSignal
}

/** Money in: deposits through the simulated payment rail (test mode). */
export class Deposits {
  constructor(private readonly send: Send) {}

  /** Adds funds; resolves with the balance after it. */
  create(request: DepositRequest, options: MoneyMoveOptions = {}): Promise<Balance> {
    return sendJson<Balance>(this.send, {
      method: 'POST',
      path: '/v1/deposits',
      body: request,
      idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
      signal: options.signal,
    })
  }
}

/** Money out, for providers: earnings paid to the simulated rail. */
export class Payouts {
  constructor(private readonly send: Send) {}

  /** Pays out `amountMicros`, or all earnings when it is left out. */
  create(request: PayoutRequest = {}, options: MoneyMoveOptions = {}): Promise<Payout> {
    return sendJson<Payout>(this.send, {
      method: 'POST',
      path: '/v1/payouts',
      body: request,
      idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
      signal: options.signal,
    })
  }
}

export class Statements {
  constructor(private readonly send: Send) {}

  /** Every movement of my accounts in one currency over a period (default: the last 30 days). */
  get(query: StatementQuery = {}, options: { signal?: AbortSignal } = {}): Promise<Statement> {
    return sendJson<Statement>(this.send, {
      method: 'GET',
      path: '/v1/statements',
      query,
      signal: options.signal,
    })
  }
}

/** What my settled jobs came to, grouped (by day, month, kind, status or a metadata key). */
export class Usage {
  constructor(private readonly send: Send) {}

  /** Default: this month so far (UTC), by day. `groupBy: 'metadata', metadataKey: 'project'`: per project. */
  get(query: UsageQuery = {}, options: { signal?: AbortSignal } = {}): Promise<UsageReport> {
    return sendJson<UsageReport>(this.send, {
      method: 'GET',
      path: '/v1/usage',
      query,
      signal: options.signal,
    })
  }
}

/**
 * Monthly spending limits: jobs whose hold would take a calendar month's
 * (UTC) charges past the limit are refused (402 spend_limit_exceeded).
 */
export class SpendLimits {
  constructor(private readonly send: Send) {}

  /** My limits, each with this month's charges, what is held and what is left. */
  async list(options: { signal?: AbortSignal } = {}): Promise<SpendLimit[]> {
    const page = await sendJson<{ data: SpendLimit[] }>(this.send, {
      method: 'GET',
      path: '/v1/spend-limits',
      signal: options.signal,
    })
    return page.data
  }

  /** Sets (or changes) the limit in `currency`. */
  set(
    currency: string,
    request: SpendLimitRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<SpendLimit> {
    return sendJson<SpendLimit>(this.send, {
      method: 'PUT',
      path: `/v1/spend-limits/${encodeURIComponent(currency)}`,
      body: request,
      repeatable: true,
      signal: options.signal,
    })
  }

  /** Removes the limit in `currency` (404 spend_limit_not_found when there is none); resolves with those left. */
  async remove(currency: string, options: { signal?: AbortSignal } = {}): Promise<SpendLimit[]> {
    const page = await sendJson<{ data: SpendLimit[] }>(this.send, {
      method: 'DELETE',
      path: `/v1/spend-limits/${encodeURIComponent(currency)}`,
      signal: options.signal,
    })
    return page.data
  }
}

export const getBalance = (send: Send, query: BalanceQuery, signal?: AbortSignal) =>
  sendJson<Balance>(send, { method: 'GET', path: '/v1/balance', query, signal })
