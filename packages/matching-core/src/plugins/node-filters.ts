import type { FilterPlugin, GroupVerdict, Rejection } from '../types.js'

const reject = (reason: string, permanent: boolean): Rejection => ({ reason, permanent })

/** States in which a node takes new work (idle or partly busy). */
export const SCHEDULABLE_STATES: ReadonlySet<string> = new Set(['online', 'busy'])

const stateRejections = new Map<string, Rejection>()
/**
 * Why a node in this state takes no work. Quarantine is for misbehaviour and
 * is lifted by people, not by time, so a job is not kept waiting on it
 * (permanent); offline, draining and suspect nodes come back on their own.
 */
export function stateRejection(state: string): Rejection | undefined {
  if (SCHEDULABLE_STATES.has(state)) return undefined
  let r = stateRejections.get(state)
  if (!r) {
    r = reject(`node_${state}`, state === 'quarantined')
    stateRejections.set(state, r)
  }
  return r
}

/** Read by the FleetIndex too: it keeps nodes that take no work apart and counts them without visiting. */
export const nodeState: FilterPlugin = {
  name: 'node_state',
  filter: (_job, node) => stateRejection(node.state),
}

const allowed = (value: string, allow: string[], deny: string[]) =>
  (allow.length === 0 || allow.includes(value)) && !deny.includes(value)

const regionRejection = reject('region', true)
export const region: FilterPlugin = {
  name: 'region',
  skip: (job) => job.regions.length === 0 && job.excludedRegions.length === 0,
  filter: (job, node) =>
    allowed(node.region, job.regions, job.excludedRegions) ? undefined : regionRejection,
  filterPlace: (job, place) =>
    allowed(place.region, job.regions, job.excludedRegions) ? 'pass' : regionRejection,
}

const countryRejection = reject('country', true)
export const country: FilterPlugin = {
  name: 'country',
  skip: (job) => job.countries.length === 0 && job.excludedCountries.length === 0,
  filter: (job, node) =>
    allowed(node.country, job.countries, job.excludedCountries) ? undefined : countryRejection,
  filterPlace: (job, place) =>
    allowed(place.country, job.countries, job.excludedCountries) ? 'pass' : countryRejection,
}

const priceRejection = reject('over_max_price', true)
/** The FleetIndex keeps nodes sorted by price and stops reading a list at the ceiling. */
export const maxPrice: FilterPlugin = {
  name: 'max_price',
  skip: (job) => job.maxPricePerGpuHour <= 0n,
  filter: (job, node) =>
    job.maxPricePerGpuHour <= 0n || node.pricePerGpuHour <= job.maxPricePerGpuHour
      ? undefined
      : priceRejection,
  filterGroup: (_job, group, state): GroupVerdict => {
    if (state.priceCeiling <= 0) return 'pass'
    if (group.bounds.minPrice > state.priceCeiling) return priceRejection
    return group.bounds.maxPrice <= state.priceCeiling ? 'pass' : undefined
  },
}

const reputationRejection = reject('low_reputation', true)
export const minReputation: FilterPlugin = {
  name: 'min_reputation',
  skip: (job) => job.minReputation <= 0,
  filter: (job, node) => (node.reputation >= job.minReputation ? undefined : reputationRejection),
  filterGroup: (job, group): GroupVerdict => {
    if (group.bounds.maxReputation < job.minReputation) return reputationRejection
    return group.bounds.minReputation >= job.minReputation ? 'pass' : undefined
  },
}

const interruptibleRejection = reject('no_interruptible', true)
/** Interruptible (spot-style) work only goes to nodes whose owners accept it. */
export const interruptible: FilterPlugin = {
  name: 'interruptible',
  skip: (job) => !job.interruptible,
  filter: (job, node) =>
    !job.interruptible || node.acceptsInterruptible ? undefined : interruptibleRejection,
  filterGroup: (job, group): GroupVerdict => {
    if (!job.interruptible) return 'pass'
    if (group.interruptibleNodes === 0) return interruptibleRejection
    return group.interruptibleNodes === group.size ? 'pass' : undefined
  },
}

const providerRejection = reject('excluded_provider', true)
export const excludedProvider: FilterPlugin = {
  name: 'excluded_provider',
  skip: (job) => job.excludedProviders.length === 0,
  filter: (job, node) => (job.excludedProviders.includes(node.providerId) ? providerRejection : undefined),
}

const hoursRejection = reject('hours_end_too_soon', false)
/**
 * A node lent only in its provider's hours (fleet-core hours.ts) takes a job
 * only if the job's maxDurationS ends before the node's window closes, so
 * nothing it runs is cut short; a later window may be long enough.
 */
export const hoursWindow: FilterPlugin = {
  name: 'hours_window',
  skip: (job) => job.endsBy === undefined,
  filter: (job, node) => (node.openUntilMs && job.endsBy! > node.openUntilMs ? hoursRejection : undefined),
}

const nodeRejection = reject('excluded_node', true)
export const excludedNode: FilterPlugin = {
  name: 'excluded_node',
  skip: (job) => job.excludedNodes.length === 0,
  filter: (job, node) => (job.excludedNodes.includes(node.id) ? nodeRejection : undefined),
}
