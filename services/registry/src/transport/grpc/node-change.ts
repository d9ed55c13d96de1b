import { inTransaction, type OnCommit, type Transaction } from '@idlegrid/db'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import { addToOutbox } from '@idlegrid/outbox'
import type { NodeRef__Output, NodeStatus } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { type LockedNode, listNodeStatuses, lockNode } from '../../db/node-admin.js'
import { type RegistryDb, SCHEMA } from '../../db/schema.js'
import { toNodeStatus } from './node-status.js'

const PROVIDER_ID = /^[A-Za-z0-9_-]{1,64}$/
const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/

export function checkProviderId(field: string, providerId: string): string {
  if (!PROVIDER_ID.test(providerId)) throw new ValidationError(field, 'must be 1-64 of A-Z a-z 0-9 _ -')
  return providerId
}

/**
 * A provider names its own node; an empty provider id is an operator, who may
 * name any. Validated here so a malformed id is INVALID_ARGUMENT, not NOT_FOUND.
 */
export function checkNodeRef(
  ref: NodeRef__Output | null,
  prefix = '',
): { providerId: string; nodeId: string } {
  if (!ref) throw new ValidationError(prefix.replace(/\.$/, '') || 'node', 'is required')
  if (!NODE_ID.test(ref.nodeId)) throw new ValidationError(`${prefix}nodeId`, 'must be a node id')
  if (ref.providerId) checkProviderId(`${prefix}providerId`, ref.providerId)
  return { providerId: ref.providerId, nodeId: ref.nodeId }
}

export interface NodeChange {
  trx: Transaction<RegistryDb>
  node: LockedNode
  onCommit: OnCommit
  /** Tells matching the node may now fit waiting jobs (after commit, via the outbox). */
  capacityChanged(): Promise<void>
}

/**
 * Runs an admin change on one node with its row locked, and answers with the
 * node's status as committed. A node of another provider is NOT_FOUND, exactly
 * like a node that does not exist: nobody learns which ids others own.
 */
export async function changeOwnedNode(
  ctx: AppContext,
  ref: { providerId: string; nodeId: string },
  change: (c: NodeChange) => Promise<void>,
): Promise<NodeStatus> {
  return inTransaction(
    ctx.db,
    async (trx, onCommit) => {
      const node = await lockNode(trx, ref.nodeId)
      if (!node || (ref.providerId && node.provider_id !== ref.providerId)) {
        throw new NotFoundError('node', ref.nodeId)
      }
      await change({
        trx,
        node,
        onCommit,
        async capacityChanged() {
          await addToOutbox(
            trx,
            SCHEMA,
            'capacity-changed',
            { nodeId: node.id, reason: 'admin' },
            `admin_${node.id}_${Date.now()}`,
          )
          onCommit(() => ctx.events.outbox.kick())
        },
      })
      const [row] = await listNodeStatuses(trx, { nodeId: node.id })
      return toNodeStatus(row!)
    },
    (err) => ctx.logger.warn({ err, nodeId: ref.nodeId }, 'after-commit effect of a node change failed'),
  )
}
