import * as grpc from '@grpc/grpc-js'
import { currentTraceCarrier } from '@idlegrid/telemetry'
import { fromServiceError } from './errors.js'

type ClientCtor<C> = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
) => C

export function createClient<C extends grpc.Client>(Ctor: ClientCtor<C>, address: string): C {
  return new Ctor(address, grpc.credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.enable_retries': 1,
  })
}

/** Request and response types of a generated client's unary method (from its last overload). */
type UnaryOf<M> = M extends (
  argument: infer Req,
  callback: grpc.requestCallback<infer Res>,
) => grpc.ClientUnaryCall
  ? [Req, Res]
  : never
type UnaryKeys<C> = {
  [K in keyof C]: UnaryOf<C[K]> extends never ? never : K extends string ? K : never
}[keyof C]

/**
 * Calls a unary method with a deadline and the current trace context in the
 * metadata; resolves with the response or rejects with the peer's DomainError.
 */
export function callUnary<C extends grpc.Client, K extends UnaryKeys<C>>(
  client: C,
  method: K,
  request: UnaryOf<C[K]>[0],
  options: { deadlineMs?: number; peer?: string } = {},
): Promise<UnaryOf<C[K]>[1]> {
  const metadata = new grpc.Metadata()
  for (const [key, value] of Object.entries(currentTraceCarrier())) metadata.set(key, value)
  const deadline = new Date(Date.now() + (options.deadlineMs ?? 5_000))
  const fn = client[method] as unknown as (
    req: unknown,
    md: grpc.Metadata,
    opts: grpc.CallOptions,
    cb: grpc.requestCallback<UnaryOf<C[K]>[1]>,
  ) => grpc.ClientUnaryCall
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, { deadline }, (err, response) => {
      if (err) reject(fromServiceError(err, options.peer ?? method))
      else resolve(response as UnaryOf<C[K]>[1])
    })
  })
}
