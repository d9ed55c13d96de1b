import { ValidationError } from '@idlegrid/errors'
import { checkedHours, type NodeHours } from '@idlegrid/fleet-core'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { NodeHours__Output, NodeStatus, SetNodeHoursRequest__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { writeNodeHours } from '../../db/node-hours.js'
import { changeOwnedNode, checkNodeRef } from './node-change.js'

/**
 * Sets the weekly hours a provider lends a node (none: always). The node
 * takes new work only in them, and only work that ends before they close;
 * what it runs already runs on. Matching is told when the node is in its
 * hours now (the new ones may fit waiting jobs); the sweep turns it at each
 * opening and closing after that.
 */
export const setNodeHours = (ctx: AppContext) =>
  unary<SetNodeHoursRequest__Output, NodeStatus>(
    'registry.SetNodeHours',
    async (req) => {
      const ref = checkNodeRef(req.node, 'node.')
      const hours = req.hours ? hoursOf(req.hours) : null
      const status = await changeOwnedNode(ctx, ref, async ({ trx, node, capacityChanged }) => {
        const state = await writeNodeHours(trx, node.id, hours, new Date())
        if (state.hours_open) await capacityChanged()
      })
      ctx.logger.info({ nodeId: ref.nodeId, hours }, 'node hours changed')
      return status
    },
    logRpcFailure(ctx.logger),
  )

function hoursOf(wire: NodeHours__Output): NodeHours {
  const checked = checkedHours(wire)
  if ('problem' in checked)
    throw new ValidationError(`hours.${checked.problem.field}`, checked.problem.detail)
  return checked.hours
}
