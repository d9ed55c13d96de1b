import { isDomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { PayloadOf } from '@idlegrid/queue'
import type { AppContext } from '../context.js'

/**
 * The `quarantine-node` worker: takes a node of a provider whose account an
 * operator suspended out of the market (it takes no new work until an
 * operator releases it), saying why. Quarantining a quarantined node again
 * changes nothing; a node the registry no longer knows is left alone.
 */
export async function onQuarantineNode(ctx: AppContext, { nodeId, reason }: PayloadOf<'quarantine-node'>) {
  try {
    await callUnary(
      ctx.registry,
      'setNodeQuarantine',
      { nodeId, quarantined: true, reason },
      { peer: 'registry' },
    )
  } catch (err) {
    if (isDomainError(err) && err.kind === 'not_found') return
    throw err
  }
}
