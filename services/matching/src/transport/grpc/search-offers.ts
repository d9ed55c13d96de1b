import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { searchOffers as search } from '@idlegrid/matching-core'
import type { SearchOffersRequest__Output, SearchOffersResponse } from '@idlegrid/proto/matching'
import { jobSpecFromWire } from '@idlegrid/queue'
import type { AppContext } from '../../context.js'
import { toRequest } from '../../jobs/match-job.js'

const MAX_LIMIT = 100

/** Offer search on this replica's fleet view (at most FLEET_VIEW_MAX_AGE_MS old). */
export const searchOffers = (ctx: AppContext) =>
  unary<SearchOffersRequest__Output, SearchOffersResponse>(
    'matching.SearchOffers',
    async ({ spec, sort, limit }) => {
      if (!spec?.gpus) throw new ValidationError('spec.gpus', 'is required')
      if (sort !== 'price' && sort !== 'score') throw new ValidationError('sort', 'is "price" or "score"')
      // Offers are per node: whatever the spec says of gangs, one node is searched for.
      const request = toRequest(jobSpecFromWire({ ...spec, nodes: 1 }))
      const view = await ctx.fleet.nodes()
      const found = search(request, view.nodes, ctx.profile, sort, Math.min(MAX_LIMIT, limit || 20))
      return {
        nodesConsidered: found.nodesConsidered,
        offers: found.offers.map((o) => ({
          nodeId: o.nodeId,
          providerId: o.providerId,
          region: o.region,
          country: o.country,
          gpus: o.gpus.map((g) => ({
            index: g.index,
            model: g.model,
            vramMib: g.vramMib,
            computeCapability: g.computeCapability ? g.computeCapability.toFixed(1) : '',
            cudaVersion: g.cudaVersion,
            driverVersion: g.driverVersion,
          })),
          freeGpus: o.freeGpus,
          totalGpus: o.totalGpus,
          pricePerGpuHourMicros: o.pricePerGpuHour.toString(),
          reputation: o.reputation,
          score: o.score,
          openUntilMs: String(o.openUntilMs ?? 0),
        })),
      }
    },
    logRpcFailure(ctx.logger),
  )
