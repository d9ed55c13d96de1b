import { type ErrorKind, isDomainError, isStoreOutage, storeOutage } from '@idlegrid/errors'
import type { FastifyError, FastifyInstance } from 'fastify'
import { describeValidationError, type SchemaError } from './validation.js'

/** The one mapping from domain error kinds to HTTP status codes. */
export const httpStatusByKind: Record<ErrorKind, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  failed_precondition: 409,
  unprocessable: 422,
  insufficient_funds: 402,
  resource_exhausted: 429,
  unavailable: 503,
  internal: 500,
}

/** RFC 9457 problem details, with a stable `code` clients can branch on. */
export interface Problem {
  type: string
  title: string
  status: number
  code: string
  detail: string
  field?: string
  instance?: string
}

const problemType = (code: string) => `https://idlegrid.dev/problems/${code.replaceAll('_', '-')}`

export function problem(status: number, code: string, detail: string, field?: string): Problem {
  return {
    type: problemType(code),
    title: code.replaceAll('_', ' '),
    status,
    code,
    detail,
    ...(field ? { field } : {}),
  }
}

/** Installs problem+json for every error and for unknown routes. Never leaks stacks. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let body: Problem
    const first = err.validation?.[0]
    if (first) {
      const context = err.validationContext ?? 'body'
      const data = {
        body: request.body,
        querystring: request.query,
        params: request.params,
        headers: request.headers,
      }[context]
      const { field, detail } = describeValidationError(err.validation as SchemaError[], context, data)
      body = problem(400, 'invalid_request', detail, field)
    } else if (err.validation) {
      body = problem(400, 'invalid_request', 'request: is invalid')
    } else if (isDomainError(err)) {
      body = { ...err.details, ...problem(httpStatusByKind[err.kind], err.code, err.message, err.field) }
    } else if (err.statusCode && err.statusCode < 500) {
      body = problem(
        err.statusCode,
        (err.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, ''),
        err.message,
      )
    } else if (isStoreOutage(err)) {
      // Postgres or Redis out of reach: 503 with Retry-After, which clients and the SDK retry.
      request.log.warn({ err }, 'a store did not answer')
      const outage = storeOutage()
      body = problem(httpStatusByKind[outage.kind], outage.code, outage.message)
    } else {
      request.log.error({ err }, 'unhandled error')
      body = problem(500, 'internal', 'internal error')
    }
    body.instance = request.url
    if ((body.status === 429 || body.status === 503) && !reply.hasHeader('retry-after'))
      reply.header('retry-after', '1')
    void reply.status(body.status).type('application/problem+json').send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        ...problem(404, 'route_not_found', `${request.method} ${request.url} is not a route`),
        instance: request.url,
      })
  })
}
