import { acceptsWork, nodeReputation, nodeState } from '@idlegrid/fleet-core'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type {
  InterruptibleRun,
  ListNodesRequest__Output,
  ListNodesResponse,
  NodeCapacity,
} from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { listCapacity } from '../../db/nodes.js'

/**
 * Live nodes (connected or suspect; with include_offline, offline ones too)
 * with their state and the interruptible work on them; matching filters on
 * it, counts the reasons, and plans preemption from it. With since_version,
 * only what changed since that answer: changed nodes still in the listing,
 * and the ids of changed nodes that left it.
 */
export const listNodes = (ctx: AppContext) =>
  unary<ListNodesRequest__Output, ListNodesResponse>(
    'registry.ListNodes',
    async (request) => {
      const since = request.sinceVersion || undefined
      const listing = await listCapacity(ctx.listings, { includeOffline: request.includeOffline, since })
      const interruptible = new Map<string, InterruptibleRun[]>()
      for (const r of listing.interruptible) {
        const list = interruptible.get(r.node_id) ?? []
        list.push({
          assignmentId: r.id,
          jobId: r.job_id,
          gpuIndexes: r.gpu_indexes,
          priority: r.priority,
          startedAt: new Date(r.started_at).toISOString(),
          worldSize: r.world_size,
        })
        interruptible.set(r.node_id, list)
      }
      const nodes: NodeCapacity[] = []
      const removedNodeIds: string[] = []
      for (const n of listing.rows) {
        const free = n.gpus.filter((g) => g.free).map((g) => g.index)
        const state = nodeState(n.liveness, n.admin_state, n.gpus.length - free.length, !n.hours_open)
        const listed =
          !n.revoked &&
          (request.includeOffline || n.liveness !== 'offline') &&
          (!request.onlyWithFreeGpus || (free.length > 0 && acceptsWork(state)))
        if (!listed) {
          removedNodeIds.push(n.id)
          continue
        }
        nodes.push({
          nodeId: n.id,
          providerId: n.provider_id,
          region: n.region,
          country: n.country,
          state,
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
          interruptible: interruptible.get(n.id) ?? [],
          openUntilMs: n.hours_open && n.hours_until ? String(n.hours_until.getTime()) : '0',
        })
      }
      return { nodes, version: listing.version, removedNodeIds: since ? removedNodeIds : [] }
    },
    logRpcFailure(ctx.logger),
  )
