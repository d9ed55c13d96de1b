import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import { type AccountRow, accountOf, setSuspension } from '../../account-suspension.js'
import type { AppContext } from '../../context.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { Account, OperatorReason, problemResponses, suspensionOf } from './schemas.js'

const strict = { additionalProperties: false } as const
const AccountId = Type.Object({ id: Type.String({ pattern: '^acct_[0-9a-z]{26}$' }) }, strict)
const refusals = { ...problemResponses, 409: Type.Ref('Problem') }

const view = (a: AccountRow) => ({
  id: a.id,
  name: a.name,
  role: a.role,
  createdAt: a.created_at.toISOString(),
  suspended: suspensionOf(a),
})

/**
 * Operators look up any account, and suspend it (fraud, abuse, a
 * chargeback: its keys may read, not act; optionally its unfinished jobs
 * cancelled) or reinstate it. What that does is account-suspension.ts's.
 */
export function operatorAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = [authenticate(ctx), requireRole('operator', 'only operator accounts manage accounts')]
  const security = [{ apiKey: [] }]

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
    async (request) => view(await accountOf(ctx, request.params.id)),
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
            reason: OperatorReason('why, shown to the account'),
            cancelJobs: Type.Optional(
              Type.Boolean({
                description:
                  "also cancel the account's unfinished jobs (delivered work is paid, the rest of each hold given back); each job's error says why",
              }),
            ),
            quarantineNodes: Type.Optional(
              Type.Boolean({
                description:
                  'a provider: also quarantine its nodes (they take no new work until released with POST /v1/operator/nodes/:id/release; reinstating the account does not release them)',
              }),
            ),
          },
          strict,
        ),
        response: {
          200: Type.Object({
            ...Account.properties,
            jobsCancelling: Type.Integer({ description: 'unfinished jobs being cancelled (cancelJobs)' }),
            nodesQuarantining: Type.Integer({ description: 'nodes being quarantined (quarantineNodes)' }),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { account, cancelling, quarantining } = await setSuspension(ctx, {
        operatorId: callerOf(request).accountId,
        accountId: request.params.id,
        reason: request.body.reason.trim(),
        cancelJobs: request.body.cancelJobs,
        quarantineNodes: request.body.quarantineNodes,
      })
      return { ...view(account), jobsCancelling: cancelling, nodesQuarantining: quarantining }
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
    async (request) =>
      view(
        (
          await setSuspension(ctx, {
            operatorId: callerOf(request).accountId,
            accountId: request.params.id,
            reason: null,
          })
        ).account,
      ),
  )
}
