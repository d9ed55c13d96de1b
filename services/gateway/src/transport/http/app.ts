import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { createHttpApp, type FastifyInstance, type ReadinessChecks, registerOpsRoutes } from '@idlegrid/http'
import type { AppContext } from '../../context.js'
import { accountRoutes } from './accounts.js'
import { depositWebhookRoutes } from './deposit-webhooks.js'
import { jobRoutes } from './jobs.js'
import { keyRoutes } from './keys.js'
import { nodeRoutes } from './nodes.js'
import { offerRoutes } from './offers.js'
import { operatorRoutes } from './operator.js'
import { operatorAccountRoutes } from './operator-accounts.js'
import { operatorJobRoutes } from './operator-jobs.js'
import { payoutRoutes } from './payouts.js'
import { providerRoutes } from './provider.js'
import { quoteRoutes } from './quotes.js'
import { JobSpecBody, Node, OPTIONAL_BODY, Problem, UnprocessableProblem } from './schemas.js'
import { spendLimitRoutes } from './spend-limits.js'
import { statementRoutes } from './statements.js'
import { usageRoutes } from './usage.js'
import { webhookRoutes } from './webhooks.js'

/**
 * The public REST API as a Fastify instance that does not listen: tests call
 * `inject()`, service.ts adds the socket. Route schemas are the validation and
 * the OpenAPI document at once (/openapi.json).
 */
export async function buildGatewayApp(
  ctx: AppContext,
  ops: { checks: ReadinessChecks; isStopping: () => boolean },
): Promise<FastifyInstance> {
  const app = createHttpApp(ctx.logger, { bodyLimit: ctx.config.BODY_LIMIT_BYTES })
  // Security headers on every answer (HSTS, nosniff, frame-ancestors, a strict CSP).
  await app.register(helmet, { global: true })
  app.decorateRequest('caller', null)
  app.addSchema(Problem)
  app.addSchema(UnprocessableProblem)
  app.addSchema(JobSpecBody)
  app.addSchema(Node)
  await app.register(swagger, {
    // Shared schemas keep their own names (Problem, JobSpec, Job) in components.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Idlegrid API',
        version: '1.0.0',
        description:
          'Rent GPUs by the second. Money is integer micros of the currency (1 USD = 1,000,000). ' +
          'Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'key_….<secret>' } },
      },
    },
    transformObject: (document) =>
      'openapiObject' in document ? markOptionalBodies(document.openapiObject) : document.swaggerObject,
  })
  app.get('/openapi.json', { schema: { hide: true } as never }, async () => app.swagger())
  // The same document, rendered for people; its page carries its own CSP (it needs its inline assets).
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  registerOpsRoutes(app, { checks: ops.checks, metrics: ctx.metrics, isStopping: ops.isStopping })
  accountRoutes(app, ctx)
  jobRoutes(app, ctx)
  nodeRoutes(app, ctx)
  offerRoutes(app, ctx)
  keyRoutes(app, ctx)
  webhookRoutes(app, ctx)
  payoutRoutes(app, ctx)
  statementRoutes(app, ctx)
  usageRoutes(app, ctx)
  spendLimitRoutes(app, ctx)
  quoteRoutes(app, ctx)
  operatorRoutes(app, ctx)
  operatorAccountRoutes(app, ctx)
  operatorJobRoutes(app, ctx)
  providerRoutes(app, ctx)
  await app.register((scope) => depositWebhookRoutes(scope, ctx))
  return app
}

/** Operations marked OPTIONAL_BODY take their body or none: the document says so, without the marker. */
function markOptionalBodies<T extends { paths?: Record<string, Record<string, unknown> | undefined> }>(
  doc: T,
): T {
  for (const operations of Object.values(doc.paths ?? {}))
    for (const op of Object.values(operations ?? {}) as Record<string, unknown>[]) {
      if (!op || typeof op !== 'object' || !(OPTIONAL_BODY in op)) continue
      delete op[OPTIONAL_BODY]
      const body = op.requestBody as { required?: boolean } | undefined
      if (body) body.required = false
    }
  return doc
}
