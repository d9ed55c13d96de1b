import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { inTransaction } from '@idlegrid/db'
import { DomainError, NotFoundError } from '@idlegrid/errors'
import type { FastifyInstance } from '@idlegrid/http'
import { addManyToOutbox, outboxMessage } from '@idlegrid/outbox'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { findAccount, setAccountSuspension } from '../../db/accounts.js'
import { unfinishedJobIds } from '../../db/jobs.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { Account, problemResponses, suspensionOf } from './schemas.js'

const strict = { additionalProperties: false } as const
const AccountId = Type.Object({ id: Type.String({ pattern: '^acct_[0-9a-z]{26}$' }) }, strict)
const refusals = { ...problemResponses, 409: Type.Ref('Problem') }

type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccount>>>
const view = (a: AccountRow) => ({
  id: a.id,
  name: a.name,
  role: a.role,
  createdAt: a.created_at.toISOString(),
  suspended: suspensionOf(a),
})

/**
 * Operators look up any account and suspend it (fraud, abuse, a chargeback)
 * or reinstate it. A suspended account's keys may still read — its jobs,
 * funds, invoices, why it was suspended — but every other request is refused
 * (403 account_suspended, with the reason), from the moment the suspension
 * commits, on every gateway replica (each forgets the account's keys, as on
 * a revocation). What it already started goes on — its queued and running
 * jobs, held and paid as usual — unless the operator asks to cancel them
 * (`cancelJobs`; a submission already past its key check as the suspension
 * commits may still be stored, and is not); a provider's nodes keep their
 * own credentials (quarantine them, POST /v1/operator/nodes/:id/quarantine).
 * Operator accounts are not suspended here.
 */
export function operatorAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = [authenticate(ctx), requireRole('operator', 'only operator accounts manage accounts')]
  const security = [{ apiKey: [] }]

  const found = async (id: string) => {
    const account = await findAccount(ctx.db, id)
    if (!account) throw new NotFoundError('account', id)
    return account
  }
  /**
   * Suspends (reason) or reinstates (null); with `cancelJobs`, the account's
   * unfinished jobs are handed to the `cancel-job` queue in the same
   * transaction, each to be cancelled saying why. Answers the account and
   * how many jobs are being cancelled.
   */
  const setSuspension = async (operatorId: string, id: string, reason: string | null, cancelJobs = false) => {
    const account = await found(id)
    if (account.role === 'operator')
      throw new DomainError('conflict', 'operator_account', 'operator accounts are not suspended')
    const { set, cancelling } = await inTransaction(ctx.db, async (trx, onCommit) => {
      const set = await setAccountSuspension(trx, id, reason)
      if (!set || !cancelJobs || reason === null) return { set, cancelling: 0 }
      const jobIds = await unfinishedJobIds(trx, id)
      const why = `cancelled by an operator: the account was suspended (${reason})`
      await addManyToOutbox(
        trx,
        'gateway',
        jobIds.map((jobId) =>
          outboxMessage('cancel-job', { jobId, accountId: id, reason: why }, `cancel_suspended_${jobId}`),
        ),
      )
      if (jobIds.length > 0) onCommit(() => ctx.events.outbox.kick())
      return { set, cancelling: jobIds.length }
    })
    if (!set) throw new NotFoundError('account', id)
    // Committed: every replica forgets its keys, so the next request of the account reads the suspension.
    await Promise.all(set.keyIds.map((keyId) => ctx.apiKeys.revoked(keyId)))
    ctx.logger.warn(
      { operatorId, accountId: id, reason, jobsCancelled: cancelling },
      reason === null ? 'account reinstated' : 'account suspended',
    )
    return { account: view(set.account), cancelling }
  }

  r.get(
    '/v1/operator/accounts/:id',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'Any account: its name, role, and whether it is suspended',
        security,
        params: AccountId,
        response: { 200: Account, ...refusals },
      },
    },
    async (request) => view(await found(request.params.id)),
  )

  r.post(
    '/v1/operator/accounts/:id/suspend',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary:
          'Suspend an account: from now on its keys may read, not act (403 account_suspended); what it started goes on',
        security,
        params: AccountId,
        body: Type.Object(
          {
            reason: Type.String({
              minLength: 1,
              maxLength: 500,
              pattern: '\\S',
              description: 'why, shown to the account',
            }),
            cancelJobs: Type.Optional(
              Type.Boolean({
                description:
                  "also cancel the account's unfinished jobs (delivered work is paid, the rest of each hold given back); each job's error says why",
              }),
            ),
          },
          strict,
        ),
        response: {
          200: Type.Object({
            ...Account.properties,
            jobsCancelling: Type.Integer({ description: 'unfinished jobs being cancelled (cancelJobs)' }),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { account, cancelling } = await setSuspension(
        callerOf(request).accountId,
        request.params.id,
        request.body.reason.trim(),
        request.body.cancelJobs,
      )
      return { ...account, jobsCancelling: cancelling }
    },
  )

  r.post(
    '/v1/operator/accounts/:id/reinstate',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'Reinstate a suspended account: its keys act again at once',
        security,
        params: AccountId,
        response: { 200: Account, ...refusals },
      },
    },
    async (request) => (await setSuspension(callerOf(request).accountId, request.params.id, null)).account,
  )
}
