import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { ListPendingHoldsRequest__Output, ListPendingHoldsResponse } from '@idlegrid/proto/billing'
import type { AppContext } from '../../context.js'
import { findPendingHolds } from '../../db/holds.js'

const MAX_LIMIT = 1_000

export const listPendingHolds = (ctx: AppContext) =>
  unary<ListPendingHoldsRequest__Output, ListPendingHoldsResponse>(
    'billing.ListPendingHolds',
    async (req) => {
      if (req.olderThanS < 0) throw new ValidationError('olderThanS', 'must not be negative')
      if (req.limit < 0 || req.limit > MAX_LIMIT)
        throw new ValidationError('limit', `must be 0-${MAX_LIMIT} (0: 500)`)
      const rows = await findPendingHolds(ctx.db, {
        placedBefore: new Date(Date.now() - req.olderThanS * 1000),
        afterId: req.afterHoldId,
        limit: req.limit || 500,
      })
      return {
        holds: rows.map((h) => ({
          holdId: h.id,
          customerId: h.customer_id,
          reference: h.reference,
          createdAt: h.created_at.toISOString(),
          amountMicros: h.amount.toString(),
          currency: h.currency,
        })),
      }
    },
    logRpcFailure(ctx.logger),
  )
