import type { FleetIndex } from './fleet-index.js'
import { decide } from './framework.js'
import type { JobRequest, Profile } from './types.js'

/** The most feasible nodes one search reads (it then sorts and pages them). */
const SEARCH_CAP = 5_000

export interface Offer {
  nodeId: string
  providerId: string
  region: string
  country: string
  /** The exact GPUs a job would get now (the first `gpuCount` free ones, as placement would pick). */
  gpus: {
    index: number
    model: string
    vramMib: number
    computeCapability: number
    cudaVersion: string
    driverVersion: string
  }[]
  freeGpus: number
  totalGpus: number
  pricePerGpuHour: bigint
  reputation: number
  /** The profile's weighted score scaled to 0..100: how much matching would prefer it. */
  score: number
  /** Lent only in its provider's hours: when they close (epoch ms); absent: no end. */
  openUntilMs?: number
}

/**
 * Capacity a customer could rent now (Vast.ai-style offer search), decided by
 * exactly the filters and scores placement uses, so an offer is a node the
 * job would really be placed on. Every feasible node is scored (no sampling),
 * then sorted by price (cheapest first, best score breaking ties) or by score.
 */
export function searchOffers(
  job: JobRequest,
  fleet: FleetIndex,
  profile: Profile,
  sort: 'price' | 'score',
  limit: number,
): { offers: Offer[]; nodesConsidered: number } {
  const exhaustive: Profile = {
    ...profile,
    minFeasibleNodesToScore: SEARCH_CAP,
    percentageOfNodesToScore: 100,
  }
  const decision = decide(job, fleet, exhaustive, SEARCH_CAP)
  const weights = profile.scores.reduce((sum, s) => sum + s.weight, 0) || 1
  const offers: Offer[] = []
  for (const c of decision.candidates) {
    const node = fleet.get(c.nodeId)
    if (!node) continue
    const chosen = new Set(c.gpuIndexes)
    offers.push({
      nodeId: node.id,
      providerId: node.providerId,
      region: node.region,
      country: node.country,
      gpus: node.gpus.filter((g) => chosen.has(g.index)),
      freeGpus: node.freeGpuIndexes.length,
      totalGpus: node.gpus.length,
      pricePerGpuHour: node.pricePerGpuHour,
      reputation: node.reputation,
      score: Math.round((c.total / weights) * 100) / 100,
      ...(node.openUntilMs ? { openUntilMs: node.openUntilMs } : {}),
    })
  }
  if (sort === 'price')
    offers.sort((a, b) =>
      a.pricePerGpuHour === b.pricePerGpuHour
        ? b.score - a.score
        : a.pricePerGpuHour < b.pricePerGpuHour
          ? -1
          : 1,
    )
  return { offers: offers.slice(0, limit), nodesConsidered: decision.nodesConsidered }
}
