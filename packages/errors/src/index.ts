/**
 * Domain errors. Domain code throws these; transports map `kind` to an HTTP
 * status or a gRPC status in exactly one place each (@idlegrid/http,
 * @idlegrid/grpc). `code` is a stable machine-readable identifier clients may
 * branch on; `message` is for people; `field` names the offending input.
 */
export type ErrorKind =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'already_exists'
  | 'conflict'
  | 'failed_precondition'
  | 'unprocessable'
  | 'insufficient_funds'
  | 'resource_exhausted'
  | 'unavailable'
  | 'internal'

export class DomainError extends Error {
  readonly kind: ErrorKind
  readonly code: string
  readonly field: string | undefined
  /** Machine-readable particulars a client can act on (HTTP: extra problem+json members). */
  readonly details: Record<string, unknown> | undefined

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    field?: string,
    details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = new.target.name
    this.kind = kind
    this.code = code
    this.field = field
    this.details = details
  }
}

export class ValidationError extends DomainError {
  constructor(field: string, message: string, code = 'invalid_field') {
    super('invalid_argument', code, `${field}: ${message}`, field)
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what}_not_found`, `${what} ${id} was not found`)
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message)
  }
}

export class PreconditionError extends DomainError {
  constructor(code: string, message: string) {
    super('failed_precondition', code, message)
  }
}

export class InsufficientFundsError extends DomainError {
  /** `code` tells why: too little available (insufficient_funds) or a limit reached (spend_limit_exceeded). */
  constructor(message: string, code = 'insufficient_funds') {
    super('insufficient_funds', code, message)
  }
}

export class UnavailableError extends DomainError {
  constructor(code: string, message: string) {
    super('unavailable', code, message)
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError

export { isStoreOutage, storeOutage } from './outage.js'
