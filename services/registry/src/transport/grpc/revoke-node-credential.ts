import { grpc, logRpcFailure, unary } from '@idlegrid/grpc'
import type { NodeRef__Output, NodeStatus } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { revokeCredential } from '../../db/node-admin.js'
import { changeOwnedNode, checkNodeRef } from './node-change.js'

/**
 * Revokes a node's credential for good. Once committed, the node's live
 * stream is ended on whichever replica holds it; Connect refuses the
 * credential from then on.
 */
export const revokeNodeCredential = (ctx: AppContext) =>
  unary<NodeRef__Output, NodeStatus>(
    'registry.RevokeNodeCredential',
    async (req) => {
      const ref = checkNodeRef(req)
      const status = await changeOwnedNode(ctx, ref, async ({ trx, node, onCommit }) => {
        await revokeCredential(trx, node.id)
        onCommit(() =>
          ctx.router.end(node.id, { code: grpc.status.UNAUTHENTICATED, details: 'node credential revoked' }),
        )
      })
      ctx.logger.info({ nodeId: ref.nodeId, byOperator: !ref.providerId }, 'node credential revoked')
      return status
    },
    logRpcFailure(ctx.logger),
  )
