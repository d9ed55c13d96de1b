import { type Currency, currencies } from './money.js'

/**
 * Every balance lives in an account owned by someone, of one kind and one
 * currency. A customer's money is split into what they may spend (available)
 * and what is set aside for running jobs (held); providers accumulate earnings;
 * the platform accumulates fees. `external` accounts stand for money outside
 * the platform (one per payment rail and currency): a deposit moves money from
 * there in, so they go negative by design and the ledger still sums to zero.
 * The `incentive_pool` (GRID, the platform's) holds what the treasury set
 * aside to reward providers for idle availability (see incentives.ts).
 */
export const accountKinds = [
  'customer_available',
  'customer_held',
  'provider_earnings',
  'platform_fees',
  'external',
  'incentive_pool',
] as const
export type AccountKind = (typeof accountKinds)[number]

export interface AccountRef {
  owner: string
  kind: AccountKind
  currency: Currency
}

/** Owner of the platform's own accounts (fees). */
export const PLATFORM_OWNER = 'platform'

/** Only money outside the platform may be negative; every other balance is real money someone holds. */
export const mayGoNegative = (kind: AccountKind): boolean => kind === 'external'

/**
 * Accounts that operations of many different customers touch: the payment
 * rails' external accounts (every deposit and payout), the platform's fees
 * (every settlement) and providers' earnings (every job a provider runs, for
 * whichever customer). Locking them first, like a customer's own accounts,
 * would make them rows every writer queues on for its whole transaction. The
 * service instead locks and updates them last, under the lock of the
 * currency's chain head, which every writer takes anyway: their updates
 * aggregate there. Customers' accounts are locked first, so that checks on
 * a customer's money run concurrently for different customers.
 */
export const isSharedAccount = (kind: AccountKind): boolean =>
  kind !== 'customer_available' && kind !== 'customer_held'

/**
 * `kind:currency:owner`. The owner comes last so it may contain any character,
 * colons included, and the id still parses back unambiguously.
 */
export function accountId({ owner, kind, currency }: AccountRef): string {
  return `${kind}:${currency}:${owner}`
}

export function parseAccountId(id: string): AccountRef {
  const [kind, currency, ...owner] = id.split(':')
  if (
    !accountKinds.includes(kind as AccountKind) ||
    !currencies.includes(currency as Currency) ||
    owner.length === 0 ||
    owner.join(':') === ''
  ) {
    throw new Error(`malformed account id "${id}"`)
  }
  return { kind: kind as AccountKind, currency: currency as Currency, owner: owner.join(':') }
}

/** The accounts a balance enquiry reports for one owner. */
export function ownerAccounts(owner: string, currency: Currency) {
  return {
    available: accountId({ owner, kind: 'customer_available', currency }),
    held: accountId({ owner, kind: 'customer_held', currency }),
    earned: accountId({ owner, kind: 'provider_earnings', currency }),
  }
}
