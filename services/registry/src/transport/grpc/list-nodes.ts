import { acceptsWork, nodeReputation, nodeState } from '@idlegrid/fleet-core'
import { unary } from '@idlegrid/grpc'
import type { ListNodesRequest__Output, ListNodesResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { listLiveCapacity } from '../../db/nodes.js'

/** Live nodes (connected or suspect) with their state; matching filters on it and counts the reasons. */
export const listNodes = (ctx: AppContext) =>
  unary<ListNodesRequest__Output, ListNodesResponse>(
    'registry.ListNodes',
    async (request) => {
      const rows = await listLiveCapacity(ctx.db)
      const nodes = rows.map((n) => {
        const free = n.gpus.filter((g) => g.free).map((g) => g.index)
        return {
          nodeId: n.id,
          providerId: n.provider_id,
          region: n.region,
          country: n.country,
          state: nodeState(n.liveness, n.admin_state, n.gpus.length - free.length),
          pricePerGpuHourMicros: n.price_per_gpu_hour_micros.toString(),
          gpus: n.gpus.map((g) => ({
            index: g.index,
            model: g.model,
            vramMib: g.vram_mib,
            uuid: g.uuid,
            computeCapability: g.compute_capability,
            cudaVersion: g.cuda_version,
            driverVersion: g.driver_version,
          })),
          freeGpuIndexes: free,
          reputation: nodeReputation(n.completed_runs, n.lost_runs),
          acceptsInterruptible: n.accepts_interruptible,
          recentImages: n.recent_images,
        }
      })
      return {
        nodes: request.onlyWithFreeGpus
          ? nodes.filter((n) => n.freeGpuIndexes.length > 0 && acceptsWork(n.state))
          : nodes,
      }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
