import { inTransaction } from '@idlegrid/db'
import { DomainError, ValidationError } from '@idlegrid/errors'
import { normaliseGpuModel, validateInventory } from '@idlegrid/fleet-core'
import type { grpc } from '@idlegrid/grpc'
import { parseMicros } from '@idlegrid/ledger-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { Register__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../context.js'
import { parseNodeCredential, verifyNodeCredential } from '../credentials.js'
import { loseRuns } from '../db/assignments.js'
import { type ConnectedInventory, connectNode, findNode } from '../db/nodes.js'
import { afterRunsEnded } from '../run-outcomes.js'
import { stopRuns } from './assignment-updates.js'

export interface NodeIdentity {
  nodeId: string
  providerId: string
}

/** Every stream proves which node it is with the credential issued at enrolment. */
export async function authenticateStream(ctx: AppContext, metadata: grpc.Metadata): Promise<NodeIdentity> {
  const header = metadata.get('authorization')[0]
  const { nodeId, secret } = parseNodeCredential(typeof header === 'string' ? header : undefined)
  const node = await findNode(ctx.db, nodeId)
  verifyNodeCredential(secret, node)
  return { nodeId, providerId: node!.provider_id }
}

function inventoryOf(msg: Register__Output, providerId: string): ConnectedInventory {
  const inv = msg.inventory
  if (!inv) throw new ValidationError('inventory', 'is required')
  return {
    providerId,
    gpus: inv.gpus.map((g) => ({
      index: g.index,
      // Whatever the agent's version, the fleet knows each model by its marketplace name.
      model: normaliseGpuModel(g.model),
      vramMib: g.vramMib,
      uuid: g.uuid,
      computeCapability: g.computeCapability,
      driverVersion: g.driverVersion,
      cudaVersion: g.cudaVersion,
      interconnect: g.interconnect || 'pcie',
    })),
    cpuCores: inv.cpuCores,
    ramMib: Number(inv.ramMib),
    hostname: inv.hostname,
    region: inv.region,
    country: inv.country,
    diskGib: Number(inv.diskGib),
    bandwidthUpMbps: inv.bandwidthUpMbps,
    bandwidthDownMbps: inv.bandwidthDownMbps,
    simulated: inv.simulated,
    agentVersion: msg.agentVersion,
    pricePerGpuHourMicros: parseMicros('pricePerGpuHourMicros', msg.pricePerGpuHourMicros || '0'),
  }
}

/**
 * Brings an authenticated node online with the inventory it declares. The
 * agent lists the runs it still has; acknowledged runs it no longer has (it
 * restarted and lost them) are requeued at once rather than waiting out the
 * grace. Announces the capacity to matching once committed. Returns the
 * connect's number, which the stream's end is judged by (markSuspect).
 */
export async function registerAgent(
  ctx: AppContext,
  who: NodeIdentity,
  msg: Register__Output,
): Promise<{ connectionSeq: string }> {
  if (msg.nodeId && msg.nodeId !== who.nodeId) {
    throw new DomainError(
      'permission_denied',
      'node_mismatch',
      `this credential is node ${who.nodeId}'s, not ${msg.nodeId}'s`,
    )
  }
  if (msg.providerId && msg.providerId !== who.providerId) {
    throw new DomainError(
      'permission_denied',
      'provider_mismatch',
      `node ${who.nodeId} belongs to another provider`,
    )
  }
  const inventory = inventoryOf(msg, who.providerId)
  validateInventory(inventory)
  const running = new Set(msg.running.map((r) => r.assignmentId))
  const connectionSeq = await inTransaction(ctx.db, async (trx, onCommit) => {
    const { connectionSeq: seq, wasOffline } = await connectNode(trx, who.nodeId, inventory)
    const forgotten = await loseRuns(
      trx,
      who.nodeId,
      'agent_lost_run',
      (r) => r.state === 'acked' && !running.has(r.id),
    )
    const stop = await afterRunsEnded(trx, forgotten, 'agent_lost_run')
    // Back (or here for the first time): its provider's webhooks hear of it (gateway).
    if (wasOffline) {
      const at = new Date()
      await addToOutbox(
        trx,
        'registry',
        'node-event',
        {
          type: 'node.online',
          nodeId: who.nodeId,
          providerId: who.providerId,
          at: at.toISOString(),
          runsRequeued: forgotten.length,
        },
        `online_${who.nodeId}_${at.getTime()}`,
      )
    }
    await addToOutbox(
      trx,
      'registry',
      'capacity-changed',
      { nodeId: who.nodeId, reason: 'registered' },
      `registered_${who.nodeId}_${Date.now()}`,
    )
    onCommit(async () => {
      ctx.events.outbox.kick()
      await stopRuns(ctx, stop, 'lost')
    })
    return seq
  })
  ctx.counters.registrations.inc({ resumed: String(running.size > 0) })
  return { connectionSeq }
}
