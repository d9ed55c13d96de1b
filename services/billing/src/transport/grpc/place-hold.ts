import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary, unaryEach } from '@idlegrid/grpc'
import {
  type Micros,
  parseCurrency,
  parseFeeBps,
  parseHoldTtl,
  parseId,
  parsePositiveMicros,
  parseReference,
} from '@idlegrid/ledger-core'
import type {
  HoldResponse,
  PlaceHoldRequest__Output,
  PlaceHoldsRequest__Output,
  PlaceHoldsResponse,
} from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import type { HoldResult } from '../../ledger/holds.js'

/** One PlaceHold: checked here, alone; the intake commits it together with the holds placed at the same time. */
async function place(ctx: AppContext, req: PlaceHoldRequest__Output): Promise<HoldResponse> {
  const result = await ctx.holds.place({
    req: {
      id: parseId('holdId', req.holdId),
      customerId: parseId('customerId', req.customerId),
      currency: parseCurrency('currency', req.currency),
      ...amountOf(req),
      feeBps: parseFeeBps('feeBps', req.feeBps),
      reference: parseReference('reference', req.reference),
    },
    ttlSeconds: parseHoldTtl('ttlSeconds', req.ttlSeconds, ctx.config.HOLD_TTL_S),
  })
  countOperation(ctx, 'place_hold', result.applied)
  return holdResponse(result)
}

export const placeHold = (ctx: AppContext) =>
  unary<PlaceHoldRequest__Output, HoldResponse>(
    'billing.PlaceHold',
    (req) => place(ctx, req),
    logRpcFailure(ctx.logger),
  )

/** Many holds in one call: each placed (and refused) on its own, all joining the intake's group commit. */
export const placeHolds = (ctx: AppContext) =>
  unaryEach<PlaceHoldsRequest__Output, PlaceHoldsResponse, PlaceHoldRequest__Output, HoldResponse>(
    'billing.PlaceHolds',
    (req) => req.holds,
    'hold',
    (req) => place(ctx, req),
    logRpcFailure(ctx.logger),
  )

export const holdResponse = (result: HoldResult): HoldResponse => ({
  holdId: result.holdId,
  state: result.state,
  amountMicros: result.amount.toString(),
  expiresAt: result.expiresAt?.toISOString() ?? '',
  microsPerUsd: result.microsPerUsd.toString(),
  ...(result.spendAlert
    ? {
        spendAlert: {
          monthlyLimitMicros: result.spendAlert.limit.toString(),
          alertAtPercent: result.spendAlert.alertAtPercent,
          spentMicros: result.spendAlert.spent.toString(),
          heldMicros: result.spendAlert.held.toString(),
        },
      }
    : {}),
})

/** The amount in the hold's currency, or in USD to convert: exactly one. */
function amountOf(req: PlaceHoldRequest__Output): { amount: Micros } | { usdAmount: Micros } {
  const inUsd = String(req.usdAmountMicros ?? '0') !== '0'
  if (inUsd && String(req.amountMicros ?? '0') !== '0') {
    throw new ValidationError('usdAmountMicros', 'give amountMicros or usdAmountMicros, not both')
  }
  return inUsd
    ? { usdAmount: parsePositiveMicros('usdAmountMicros', req.usdAmountMicros) }
    : { amount: parsePositiveMicros('amountMicros', req.amountMicros) }
}
