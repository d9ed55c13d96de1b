import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { NodeStatus, SetNodeQuarantineRequest__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { setAdminState } from '../../db/node-admin.js'
import { changeOwnedNode, checkNodeRef } from './node-change.js'

/**
 * Quarantine takes a node out of matching (its running work is left alone);
 * release returns it to active. Only operators reach this (the gateway checks
 * the role), so the node is named without a provider.
 */
export const setNodeQuarantine = (ctx: AppContext) =>
  unary<SetNodeQuarantineRequest__Output, NodeStatus>(
    'registry.SetNodeQuarantine',
    async (req) => {
      const ref = checkNodeRef({ providerId: '', nodeId: req.nodeId })
      const reason = req.reason.trim()
      if (req.quarantined && (reason.length < 1 || reason.length > 500)) {
        throw new ValidationError('reason', 'say why the node is quarantined (1-500 characters)')
      }
      const status = await changeOwnedNode(ctx, ref, async ({ trx, node, capacityChanged }) => {
        if (req.quarantined) {
          await setAdminState(trx, node.id, 'quarantined', reason)
        } else if (node.admin_state === 'quarantined') {
          await setAdminState(trx, node.id, 'active', null)
          await capacityChanged()
        }
      })
      ctx.logger.info({ nodeId: ref.nodeId, quarantined: req.quarantined, reason }, 'node quarantine changed')
      return status
    },
    logRpcFailure(ctx.logger),
  )
