import { PreconditionError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { NodeStatus, SetNodeDrainingRequest__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { setAdminState } from '../../db/node-admin.js'
import { changeOwnedNode, checkNodeRef } from './node-change.js'

/**
 * Draining: the node finishes its current work and takes no new work.
 * Idempotent either way; a quarantined node is the operator's to release first.
 */
export const setNodeDraining = (ctx: AppContext) =>
  unary<SetNodeDrainingRequest__Output, NodeStatus>(
    'registry.SetNodeDraining',
    async (req) => {
      const ref = checkNodeRef(req.node, 'node.')
      return changeOwnedNode(ctx, ref, async ({ trx, node, capacityChanged }) => {
        if (node.admin_state === 'quarantined') {
          throw new PreconditionError(
            'node_quarantined',
            `node ${node.id} is quarantined; an operator must release it first`,
          )
        }
        const wanted = req.draining ? 'draining' : 'active'
        if (node.admin_state === wanted) return
        await setAdminState(trx, node.id, wanted, null)
        if (wanted === 'active') await capacityChanged()
      })
    },
    logRpcFailure(ctx.logger),
  )
