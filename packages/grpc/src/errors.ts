import * as grpc from '@grpc/grpc-js'
import { DomainError, type ErrorKind, isDomainError, isStoreOutage, storeOutage } from '@idlegrid/errors'

/** The one mapping from domain error kinds to gRPC status codes. */
const statusByKind: Record<ErrorKind, grpc.status> = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  permission_denied: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  already_exists: grpc.status.ALREADY_EXISTS,
  conflict: grpc.status.ABORTED,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  unprocessable: grpc.status.FAILED_PRECONDITION,
  insufficient_funds: grpc.status.FAILED_PRECONDITION,
  resource_exhausted: grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
  internal: grpc.status.INTERNAL,
}

/** Whether a peer's kind is one this process knows (an unknown one is treated as internal). */
export const isErrorKind = (kind: string): kind is ErrorKind => Object.hasOwn(statusByKind, kind)

const KIND = 'idlegrid-error-kind'
const CODE = 'idlegrid-error-code'
const FIELD = 'idlegrid-error-field'

/**
 * A domain error becomes its status with the kind, code and field in trailing
 * metadata (so a client can rebuild it); anything else becomes INTERNAL with a
 * generic message — stack traces never leave the process.
 */
export function toServiceError(err: unknown): Partial<grpc.ServiceError> & { code: grpc.status } {
  if (isStoreOutage(err)) return toServiceError(storeOutage())
  if (!isDomainError(err)) return { code: grpc.status.INTERNAL, details: 'internal error' }
  const metadata = new grpc.Metadata()
  metadata.set(KIND, err.kind)
  metadata.set(CODE, err.code)
  if (err.field) metadata.set(FIELD, err.field)
  return { code: statusByKind[err.kind], details: err.message, metadata }
}

/** Rebuilds the domain error a peer raised, or classifies a transport failure. */
export function fromServiceError(err: grpc.ServiceError, peer: string): DomainError {
  const kind = err.metadata?.get(KIND)[0]
  const code = err.metadata?.get(CODE)[0]
  if (typeof kind === 'string' && typeof code === 'string') {
    const field = err.metadata.get(FIELD)[0]
    return new DomainError(
      kind as ErrorKind,
      code,
      err.details,
      typeof field === 'string' ? field : undefined,
    )
  }
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new DomainError('unavailable', `${peer}_unavailable`, `${peer} did not answer: ${err.details}`)
  }
  if (err.code === grpc.status.INVALID_ARGUMENT) {
    return new DomainError('invalid_argument', 'invalid_argument', err.details)
  }
  return new DomainError('internal', `${peer}_error`, `${peer} failed: ${err.details}`)
}
