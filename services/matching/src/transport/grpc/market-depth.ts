import { sql } from '@idlegrid/db'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type {
  DemandLevel,
  MarketDepthRequest__Output,
  MarketDepthResponse,
  SupplyLevel,
} from '@idlegrid/proto/matching'
import type { AppContext } from '../../context.js'
import { SCHEMA } from '../../db/schema.js'

/** States in which a node's GPUs are on offer (the others take no new work). */
const OFFERING = new Set(['online', 'busy'])
/** Decisions read per sample; beyond it the market is plainly hot anyway. */
const MAX_DECISIONS = 20_000

/**
 * Supply and demand for pricing's market multipliers, aggregated but not
 * interpreted (pricing decides what they mean): GPUs by model, region and
 * asking price from this replica's fleet view, and the GPUs wanted by
 * waiting jobs and by jobs decided within `recentS`, grouped by what they accept.
 */
export const marketDepth = (ctx: AppContext) =>
  unary<MarketDepthRequest__Output, MarketDepthResponse>(
    'matching.MarketDepth',
    async ({ recentS }) => {
      // A fetch that started after this call: pricing samples seldom (every 30 s) and a price
      // should not follow a view that is stale because nothing else asked for one lately.
      const view = await ctx.fleet.nodes({ fresh: true })
      const supply = new Map<string, SupplyLevel & { totalGpus: number; freeGpus: number }>()
      for (const node of view.nodes.nodes()) {
        if (!OFFERING.has(node.state)) continue
        const free = new Set(node.freeGpuIndexes)
        for (const gpu of node.gpus) {
          const price = node.pricePerGpuHour.toString()
          const key = `${gpu.model}\u0000${node.region}\u0000${price}`
          const level = supply.get(key) ?? {
            model: gpu.model,
            region: node.region,
            pricePerGpuHourMicros: price,
            totalGpus: 0,
            freeGpus: 0,
          }
          level.totalGpus += 1
          if (free.has(gpu.index)) level.freeGpus += 1
          supply.set(key, level)
        }
      }
      const since = new Date(Date.now() - Math.max(0, recentS) * 1000)
      const { rows } = await sql<{
        models: string[] | null
        regions: string[] | null
        excluded_regions: string[] | null
        waiting: boolean
        gpus: number
      }>`
        select spec->'gpus'->'models' as models, spec->'regions' as regions,
               spec->'excludedRegions' as excluded_regions, outcome = 'waiting' as waiting,
               (spec->'gpus'->>'count')::int * greatest(1, coalesce((spec->>'nodes')::int, 1)) as gpus
        from ${sql.table(`${SCHEMA}.decisions`)}
        where outcome = 'waiting' or (outcome = 'placed' and decided_at >= ${since})
        order by decided_at desc
        limit ${MAX_DECISIONS}`.execute(ctx.db)
      const demand = new Map<string, DemandLevel & { waitingGpus: number; recentGpus: number }>()
      for (const r of rows) {
        const models = [...(r.models ?? [])].sort()
        const regions = [...(r.regions ?? [])].sort()
        const excludedRegions = [...(r.excluded_regions ?? [])].sort()
        const key = JSON.stringify([models, regions, excludedRegions])
        const level = demand.get(key) ?? { models, regions, excludedRegions, waitingGpus: 0, recentGpus: 0 }
        if (r.waiting) level.waitingGpus += r.gpus
        else level.recentGpus += r.gpus
        demand.set(key, level)
      }
      return {
        supply: [...supply.values()],
        demand: [...demand.values()],
        sampledAt: new Date().toISOString(),
      }
    },
    logRpcFailure(ctx.logger),
  )
