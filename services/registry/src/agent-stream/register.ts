import { inTransaction } from '@idlegrid/db'
import { DomainError, ValidationError } from '@idlegrid/errors'
import { type InventoryClaim, validateInventory } from '@idlegrid/fleet-core'
import { hasPrefix, newId } from '@idlegrid/ids'
import { parseMicros } from '@idlegrid/ledger-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { Register__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../context.js'
import { nodeOwner, upsertOnlineNode } from '../db/nodes.js'

function claimOf(msg: Register__Output): InventoryClaim {
  const inventory = msg.inventory
  if (!inventory) throw new ValidationError('inventory', 'is required')
  return {
    providerId: msg.providerId,
    gpus: inventory.gpus.map((g) => ({ index: g.index, model: g.model, vramMib: g.vramMib, uuid: g.uuid })),
    cpuCores: inventory.cpuCores,
    ramMib: Number(inventory.ramMib),
    hostname: inventory.hostname,
    region: inventory.region,
    pricePerGpuHourMicros: parseMicros('pricePerGpuHourMicros', msg.pricePerGpuHourMicros || '0'),
  }
}

/**
 * Validates an agent's inventory and brings its node online: a node id the
 * registry issued to the same provider resumes that node, an unknown one gets
 * a fresh id. Announces the new capacity to matching once committed.
 */
export async function registerAgent(
  ctx: AppContext,
  msg: Register__Output,
): Promise<{ nodeId: string; resumed: boolean }> {
  const claim = claimOf(msg)
  validateInventory(claim)
  let nodeId = newId('node')
  let resumed = false
  if (msg.nodeId) {
    if (!hasPrefix(msg.nodeId, 'node'))
      throw new ValidationError('nodeId', 'must be an id the registry issued (node_…)')
    const owner = await nodeOwner(ctx.db, msg.nodeId)
    if (owner !== undefined && owner !== claim.providerId) {
      throw new DomainError(
        'permission_denied',
        'node_of_other_provider',
        `node ${msg.nodeId} belongs to another provider`,
      )
    }
    if (owner !== undefined) {
      nodeId = msg.nodeId
      resumed = true
    }
  }
  await inTransaction(ctx.db, async (trx, onCommit) => {
    await upsertOnlineNode(trx, {
      ...claim,
      nodeId,
      resumed,
      simulated: msg.inventory?.simulated ?? false,
      agentVersion: msg.agentVersion,
    })
    await addToOutbox(
      trx,
      'registry',
      'capacity-changed',
      { nodeId, reason: 'registered' },
      `registered_${nodeId}_${Date.now()}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
  ctx.counters.registrations.inc({ resumed: String(resumed) })
  return { nodeId, resumed }
}
