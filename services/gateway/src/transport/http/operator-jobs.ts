import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { refundJob } from '../../refunds.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { loadJobView } from './job-view.js'
import { Job, JobId, OperatorReason, problemResponses } from './schemas.js'

/** Operators refund any account's settled job (what that does is refunds.ts's). */
export function operatorJobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.post(
    '/v1/operator/jobs/:id/refund',
    {
      preHandler: [authenticate(ctx), requireRole('operator', 'only operator accounts refund jobs')],
      schema: {
        tags: ['operator'],
        summary:
          "Refund a settled job (a render job: every chunk), whole or in part: its customer gets back all it was charged, or amountMicros of it, from its providers' earnings and the fee in proportion (refused, nothing moved, when a provider has been paid out)",
        security: [{ apiKey: [] }],
        params: JobId,
        body: Type.Object(
          {
            reason: OperatorReason("why, shown with the job and in the customer's and provider's statements"),
            amountMicros: Type.Optional(
              Type.Integer({
                minimum: 1,
                description:
                  'give back this much of what the job was charged (at most all of it: 409 refund_exceeds_charge); without it, all of it',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Job, ...problemResponses, 409: Type.Ref('Problem'), 503: Type.Ref('Problem') },
      },
    },
    async (request) =>
      loadJobView(
        ctx,
        await refundJob(ctx, {
          operatorId: callerOf(request).accountId,
          jobId: request.params.id,
          reason: request.body.reason.trim(),
          amountMicros: request.body.amountMicros,
        }),
      ),
  )
}
