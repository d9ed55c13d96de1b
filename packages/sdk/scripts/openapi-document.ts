import { loadGatewayConfig } from '@idlegrid/gateway'
import { createLogger } from '@idlegrid/telemetry'
// The gateway's package exports no app builder. This generator (dev-time
// only, never part of the SDK) reaches into its source for the two functions
// that turn route schemas into the OpenAPI document; the SDK itself depends
// on the document alone.
import { createContext } from '../../../services/gateway/src/context.js'
import { buildGatewayApp } from '../../../services/gateway/src/transport/http/app.js'

/** Where nothing listens: building the document needs no database, Redis or peer. */
const NOWHERE = '127.0.0.1:9'

/**
 * The gateway's OpenAPI document, from its route schemas: the app is built
 * on a context whose every address is unreachable, never listens, and answers
 * `GET /openapi.json` through `inject()`.
 */
export async function gatewayOpenApiDocument(): Promise<unknown> {
  const ctx = createContext(
    loadGatewayConfig({
      DATABASE_URL: `postgres://nobody@${NOWHERE}/none`,
      REDIS_URL: `redis://${NOWHERE}`,
      REGISTRY_ADDRESS: NOWHERE,
      PRICING_ADDRESS: NOWHERE,
      BILLING_ADDRESS: NOWHERE,
      MATCHING_ADDRESS: NOWHERE,
    }),
    createLogger('sdk-gen', 'silent'),
  )
  try {
    const app = await buildGatewayApp(ctx, { checks: {}, isStopping: () => false })
    const res = await app.inject({ method: 'GET', url: '/openapi.json' })
    await app.close()
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}: ${res.body}`)
    return res.json()
  } finally {
    // Nothing ever connected: drop the sockets that keep trying rather than closing politely.
    ctx.events.redis.disconnect()
    for (const client of [ctx.pricing, ctx.billing, ctx.matching, ctx.registry]) client.close()
    await ctx.db.destroy()
  }
}
