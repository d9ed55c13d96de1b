import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { ListProviderNodesRequest__Output, ListProviderNodesResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { listNodeStatuses } from '../../db/node-admin.js'
import { checkProviderId } from './node-change.js'
import { toNodeStatus } from './node-status.js'

export const listProviderNodes = (ctx: AppContext) =>
  unary<ListProviderNodesRequest__Output, ListProviderNodesResponse>(
    'registry.ListProviderNodes',
    async (req) => {
      const providerId = checkProviderId('providerId', req.providerId)
      const rows = await listNodeStatuses(ctx.db, { providerId })
      return { nodes: rows.map(toNodeStatus) }
    },
    logRpcFailure(ctx.logger),
  )
