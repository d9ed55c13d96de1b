import { unary } from '@idlegrid/grpc'
import type { ListNodesRequest__Output, ListNodesResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { listOnlineCapacity } from '../../db/nodes.js'

export const listNodes = (ctx: AppContext) =>
  unary<ListNodesRequest__Output, ListNodesResponse>(
    'registry.ListNodes',
    async (request) => {
      const rows = await listOnlineCapacity(ctx.db)
      const nodes = rows.map((n) => ({
        nodeId: n.id,
        providerId: n.provider_id,
        region: n.region,
        state: n.state,
        pricePerGpuHourMicros: n.price_per_gpu_hour_micros.toString(),
        gpus: n.gpus.map((g) => ({ index: g.index, model: g.model, vramMib: g.vram_mib, uuid: g.uuid })),
        freeGpuIndexes: n.gpus.filter((g) => g.free).map((g) => g.index),
      }))
      return { nodes: request.onlyWithFreeGpus ? nodes.filter((n) => n.freeGpuIndexes.length > 0) : nodes }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
