import { inTransaction, type Transaction } from '@idlegrid/db'
import { DomainError, NotFoundError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { addManyToOutbox, outboxMessage } from '@idlegrid/outbox'
import type { AppContext } from './context.js'
import { findAccount, lockAccountForJob, setAccountSuspension } from './db/accounts.js'
import { unfinishedJobIds } from './db/jobs.js'
import type { GatewayDb } from './db/schema.js'

/** What a suspended account's keys are told when they try to act (403 account_suspended). */
export const accountSuspended = (at: Date, reason: string | null) =>
  new DomainError(
    'permission_denied',
    'account_suspended',
    `this account was suspended by an operator at ${at.toISOString()} (${reason}): it may read, not act; contact support`,
  )

/**
 * In the transaction that stores a job: refuses it (403) when its account
 * was suspended after the request's key was checked. The account's row is
 * read FOR SHARE, so a suspension committing meanwhile either comes first
 * (and this refuses) or waits for the job (and its cancelJobs sees it).
 */
export async function refuseIfSuspended(trx: Transaction<GatewayDb>, accountId: string): Promise<void> {
  const account = await lockAccountForJob(trx, accountId)
  if (account?.suspended_at) throw accountSuspended(account.suspended_at, account.suspended_reason)
}

/** An account as an operator looks it up; NotFoundError when there is none. */
export async function accountOf(ctx: AppContext, accountId: string) {
  const account = await findAccount(ctx.db, accountId)
  if (!account) throw new NotFoundError('account', accountId)
  return account
}

export type AccountRow = Awaited<ReturnType<typeof accountOf>>

/**
 * An operator suspends an account (`reason`) or reinstates it (null). From
 * the commit on, every gateway replica reads the suspension at the
 * account's next request (each forgets its keys, as on a revocation), and
 * authentication lets its keys read, not act. With `cancelJobs`, the
 * account's unfinished jobs are handed to the `cancel-job` queue in the same
 * transaction, each to be cancelled saying why. A submission already past
 * its key check is not missed: its store reads the account FOR SHARE
 * (refuseIfSuspended, and the batched insert), so either it waits for this
 * update and is refused, or this update waits for it and the job is
 * listed here. With
 * `quarantineNodes`, a provider's nodes (as the registry lists them just
 * before) are handed to the `quarantine-node` queue the same way: each
 * takes no new work until an operator releases it (reinstating the account
 * does not). Operator accounts are not suspended (409 operator_account).
 * Answers the account and how many jobs and nodes are being stopped.
 */
export async function setSuspension(
  ctx: AppContext,
  change: {
    operatorId: string
    accountId: string
    reason: string | null
    cancelJobs?: boolean | undefined
    quarantineNodes?: boolean | undefined
  },
): Promise<{ account: AccountRow; cancelling: number; quarantining: number }> {
  const { operatorId, accountId, reason } = change
  const account = await accountOf(ctx, accountId)
  if (account.role === 'operator')
    throw new DomainError('conflict', 'operator_account', 'operator accounts are not suspended')
  const nodeIds =
    reason !== null && change.quarantineNodes && account.role === 'provider'
      ? await nodesToQuarantine(ctx, accountId)
      : []
  const { set, cancelling } = await inTransaction(ctx.db, async (trx, onCommit) => {
    const set = await setAccountSuspension(trx, accountId, reason)
    if (!set || reason === null) return { set, cancelling: 0 }
    const jobIds = change.cancelJobs ? await unfinishedJobIds(trx, accountId) : []
    const why = `cancelled by an operator: the account was suspended (${reason})`
    const at = Date.now()
    await addManyToOutbox(trx, 'gateway', [
      ...jobIds.map((jobId) =>
        outboxMessage('cancel-job', { jobId, accountId, reason: why }, `cancel_suspended_${jobId}`),
      ),
      ...nodeIds.map((nodeId) =>
        outboxMessage(
          'quarantine-node',
          { nodeId, reason: `its provider's account was suspended (${reason})` },
          `quarantine_suspended_${nodeId}_${at}`,
        ),
      ),
    ])
    if (jobIds.length + nodeIds.length > 0) onCommit(() => ctx.events.outbox.kick())
    return { set, cancelling: jobIds.length }
  })
  if (!set) throw new NotFoundError('account', accountId)
  // Committed: every replica forgets its keys, so the next request of the account reads the suspension.
  await Promise.all(set.keyIds.map((keyId) => ctx.apiKeys.revoked(keyId)))
  ctx.logger.warn(
    { operatorId, accountId, reason, jobsCancelled: cancelling, nodesQuarantined: nodeIds.length },
    reason === null ? 'account reinstated' : 'account suspended',
  )
  return { account: set.account, cancelling, quarantining: nodeIds.length }
}

/** A provider's nodes that still take, or may take, work (not already quarantined or revoked). */
async function nodesToQuarantine(ctx: AppContext, providerId: string): Promise<string[]> {
  const { nodes } = await callUnary(ctx.registry, 'listProviderNodes', { providerId }, { peer: 'registry' })
  return nodes.filter((n) => n.state !== 'quarantined' && n.state !== 'revoked').map((n) => n.nodeId)
}
