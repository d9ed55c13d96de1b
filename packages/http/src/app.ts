import type { Logger } from '@idlegrid/telemetry'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import { installProblemHandler } from './problem.js'

/**
 * The one Fastify factory: pino logger shared with the service, problem+json
 * errors, strict schemas (unknown fields are errors, not silently dropped).
 */
export function createHttpApp(logger: Logger, options: { bodyLimit?: number } = {}): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    // Request lines are noise at our volumes; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // verbose: an error carries its schema, so a misspelt field can be answered with the one meant.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false, verbose: true },
    },
    return503OnClosing: true,
  }) as unknown as FastifyInstance
  installProblemHandler(app)
  return app
}

/** Listens and resolves with the bound port (pass 0 in tests). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<number> {
  await app.listen({ host, port })
  const address = app.server.address()
  return typeof address === 'object' && address ? address.port : port
}
