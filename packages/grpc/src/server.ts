import * as grpc from '@grpc/grpc-js'
import { isStoreOutage } from '@idlegrid/errors'
import { inSpan, type Logger, SpanKind, type TraceCarrier } from '@idlegrid/telemetry'
import { toServiceError } from './errors.js'

export function createGrpcServer(): grpc.Server {
  return new grpc.Server({
    // Agents hold streams for days; ping them so dead peers are noticed.
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_connection_age_grace_ms': 10_000,
  })
}

/** Binds and resolves with the port actually bound (pass 0 in tests); insecure unless credentials are given. */
export function bindServer(
  server: grpc.Server,
  host: string,
  port: number,
  credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)))
  })
}

/** Stops accepting calls, lets running ones finish for `graceMs`, then cuts the rest (streams). */
export function shutdownServer(server: grpc.Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown()
      resolve()
    }, graceMs)
    server.tryShutdown(() => {
      clearTimeout(force)
      resolve()
    })
  })
}

export function traceCarrierOf(metadata: grpc.Metadata): TraceCarrier {
  const carrier: TraceCarrier = {}
  for (const key of ['traceparent', 'tracestate']) {
    const value = metadata.get(key)[0]
    if (typeof value === 'string') carrier[key] = value
  }
  return carrier
}

/**
 * Wraps an async handler as a grpc-js unary handler: one span per call
 * (continuing the caller's trace), and every thrown error mapped by
 * toServiceError. `onError` sees unexpected errors for logging.
 */
/** The usual `onError` of a handler: an internal failure is logged with the RPC it failed in. */
export const logRpcFailure = (logger: Logger) => (rpc: string, err: unknown) =>
  logger.error({ err, rpc }, 'rpc failed')

export function unary<Req, Res>(
  rpc: string,
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
  onError?: (rpc: string, err: unknown) => void,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    inSpan(`rpc ${rpc}`, { kind: SpanKind.SERVER, parent: traceCarrierOf(call.metadata) }, () =>
      handler(call.request, call),
    ).then(
      (response) => callback(null, response),
      (err: unknown) => {
        const mapped = toServiceError(err)
        if (mapped.code === grpc.status.INTERNAL || isStoreOutage(err)) onError?.(rpc, err)
        callback(mapped)
      },
    )
  }
}

/**
 * TLS for a gRPC port from PEM files; with a client CA, clients must present
 * a certificate it signed (mTLS) or the handshake fails.
 */
export function tlsServerCredentials(pem: {
  cert: Buffer
  key: Buffer
  clientCa?: Buffer | undefined
}): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(
    pem.clientCa ?? null,
    [{ cert_chain: pem.cert, private_key: pem.key }],
    pem.clientCa !== undefined,
  )
}
