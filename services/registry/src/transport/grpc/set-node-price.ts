import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { NodeStatus, SetNodePriceRequest__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { setNodePrice as writePrice } from '../../db/node-admin.js'
import { changeOwnedNode, checkNodeRef } from './node-change.js'

/** Up to $1,000 per GPU-hour: a ceiling that catches a dollars/micros mix-up. */
const MAX_PRICE_MICROS = 1_000_000_000n

/**
 * Sets the asking price for work placed from now on; assignments keep the
 * price agreed at reservation. A lower price may fit waiting jobs, so
 * matching is told.
 */
export const setNodePrice = (ctx: AppContext) =>
  unary<SetNodePriceRequest__Output, NodeStatus>(
    'registry.SetNodePrice',
    async (req) => {
      const ref = checkNodeRef(req.node, 'node.')
      const raw = String(req.pricePerGpuHourMicros)
      const price = /^-?\d+$/.test(raw) ? BigInt(raw) : 0n
      if (price <= 0n || price > MAX_PRICE_MICROS) {
        throw new ValidationError(
          'pricePerGpuHourMicros',
          `must be a whole number of micros from 1 to ${MAX_PRICE_MICROS}, got ${raw}`,
        )
      }
      return changeOwnedNode(ctx, ref, async ({ trx, node, capacityChanged }) => {
        await writePrice(trx, node.id, price)
        await capacityChanged()
      })
    },
    logRpcFailure(ctx.logger),
  )
