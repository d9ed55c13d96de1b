import { Deposits, getBalance, Payouts, SpendLimits, Statements, Usage } from './funds.js'
import { Jobs } from './jobs.js'
import { Keys } from './keys.js'
import { Nodes } from './nodes.js'
import { Provider } from './provider.js'
import { Quotes } from './quotes.js'
import { type ClientOptions, createTransport, type Send, sendJson } from './transport.js'
import type {
  Account,
  Balance,
  BalanceQuery,
  OfferQuery,
  OfferSearch,
  SignupRequest,
  Whoami,
} from './types.js'
import { Webhooks } from './webhooks.js'

/**
 * The Idlegrid REST API, typed from its OpenAPI document.
 *
 * ```ts
 * const grid = new Idlegrid({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.IDLEGRID_API_KEY })
 * const job = await grid.jobs.submit({ kind: 'training', command: ['python', 'train.py'], gpus: { count: 1 }, maxDurationS: 3600 })
 * for await (const state of grid.jobs.watch(job.id)) console.log(state.status)
 * ```
 *
 * Every failure is an `IdlegridError`; 429 and 503 are retried as Retry-After says.
 */
export class Idlegrid {
  readonly jobs: Jobs
  readonly deposits: Deposits
  readonly payouts: Payouts
  readonly statements: Statements
  readonly usage: Usage
  readonly spendLimits: SpendLimits
  readonly nodes: Nodes
  readonly quotes: Quotes
  readonly provider: Provider
  readonly keys: Keys
  readonly webhooks: Webhooks
  private readonly send: Send

  constructor(options: ClientOptions) {
    this.send = createTransport(options)
    this.jobs = new Jobs(this.send)
    this.deposits = new Deposits(this.send)
    this.payouts = new Payouts(this.send)
    this.statements = new Statements(this.send)
    this.usage = new Usage(this.send)
    this.spendLimits = new SpendLimits(this.send)
    this.nodes = new Nodes(this.send)
    this.quotes = new Quotes(this.send)
    this.provider = new Provider(this.send)
    this.keys = new Keys(this.send)
    this.webhooks = new Webhooks(this.send)
  }

  /** Creates an account (no API key needed); its key is in this answer only. */
  signup(request: SignupRequest): Promise<Account> {
    return sendJson<Account>(this.send, { method: 'POST', path: '/v1/accounts', body: request })
  }

  /** The account this client's API key belongs to, and the key itself (never its secret). */
  whoami(options: { signal?: AbortSignal } = {}): Promise<Whoami> {
    return sendJson<Whoami>(this.send, { method: 'GET', path: '/v1/account', signal: options.signal })
  }

  /** GPUs a job could be placed on now, by the same filters and scores as placement. */
  offers(query: OfferQuery = {}, options: { signal?: AbortSignal } = {}): Promise<OfferSearch> {
    return sendJson<OfferSearch>(this.send, {
      method: 'GET',
      path: '/v1/offers',
      query,
      signal: options.signal,
    })
  }

  /** Available and held funds (customers), earnings (providers). */
  balance(query: BalanceQuery = {}, options: { signal?: AbortSignal } = {}): Promise<Balance> {
    return getBalance(this.send, query, options.signal)
  }
}
