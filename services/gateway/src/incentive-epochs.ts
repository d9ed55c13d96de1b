import { DomainError, ValidationError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { AppContext } from './context.js'

/** A sampled epoch is paid under this prefix and its start, so it pays once and no supplied id can take it. */
const SAMPLED = 'sampled:'

/** The registry's samples of one incentive epoch (GetAvailability). */
export const sampledEpoch = (ctx: AppContext, epochStart: string) =>
  callUnary(ctx.registry, 'getAvailability', { epochStart }, { peer: 'registry' })

/** What an emission pays: under which id, from which figures, at which utilisation, to whom. */
export interface EpochToPay {
  epochId: string
  measured: boolean
  utilisationBps: number
  providers: { providerId: string; idleGpuSeconds: number }[]
}

/**
 * What an emission pays: the registry's samples of an epoch that is over
 * (under its start, so a sampled epoch pays once), or the figures an
 * operator supplies under an epoch id of their own — all three of them, and
 * never an id that could be a sampled epoch's.
 */
export async function epochToPay(
  ctx: AppContext,
  body: {
    epochId?: string
    epochStart?: string
    utilisationBps?: number
    providers?: { providerId: string; idleGpuSeconds: number }[]
  },
): Promise<EpochToPay> {
  if (body.utilisationBps !== undefined || body.providers !== undefined) {
    if (body.utilisationBps === undefined || body.providers === undefined || body.epochId === undefined)
      throw new ValidationError(
        'body',
        'supplied figures need epochId, utilisationBps and providers together',
      )
    if (body.epochStart !== undefined)
      throw new ValidationError('body.epochStart', 'name a sampled epoch or supply figures, not both')
    if (body.epochId.startsWith(SAMPLED))
      throw new ValidationError('body.epochId', `ids starting "${SAMPLED}" are the sampled epochs`)
    return {
      epochId: body.epochId,
      measured: false,
      utilisationBps: body.utilisationBps,
      providers: body.providers,
    }
  }
  if (body.epochStart === undefined)
    throw new ValidationError(
      'body.epochStart',
      'is required unless figures are supplied (epochId, utilisationBps, providers)',
    )
  if (body.epochId !== undefined)
    throw new ValidationError('body.epochId', 'a sampled epoch is paid under its start; leave epochId out')
  const epoch = await sampledEpoch(ctx, body.epochStart)
  if (!epoch.ended) {
    throw new DomainError(
      'failed_precondition',
      'epoch_not_over',
      `epoch ${epoch.epochStart} is sampled until ${epoch.epochEnd}: it can be paid once it is over (an epoch pays once)`,
      'epochStart',
    )
  }
  return {
    epochId: `${SAMPLED}${epoch.epochStart}`,
    measured: true,
    utilisationBps: epoch.utilisationBps,
    providers: epoch.providers
      .filter((p) => BigInt(p.idleGpuSeconds) > 0n)
      .map((p) => ({ providerId: p.providerId, idleGpuSeconds: Number(p.idleGpuSeconds) })),
  }
}
