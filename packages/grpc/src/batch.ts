import type * as grpc from '@grpc/grpc-js'
import type { Outcome } from '@idlegrid/batching'
import { DomainError, isDomainError, isStoreOutage, storeOutage } from '@idlegrid/errors'
import type { Problem, Problem__Output, TraceContext, TraceContext__Output } from '@idlegrid/proto/common'
import { inSpan, SpanKind, type TraceCarrier } from '@idlegrid/telemetry'
import { isErrorKind } from './errors.js'
import { unary } from './server.js'

/**
 * Batch RPCs answer each item on its own: `{ <result>: … }` or `{ problem }`.
 * These helpers carry a domain error across as a Problem and back, exactly as
 * a failed unary call's status and metadata do (errors.ts).
 */

/** A domain error as data; anything else becomes an internal problem, its details kept in the process. */
export function toProblem(err: unknown): Problem {
  if (isStoreOutage(err)) return toProblem(storeOutage())
  if (!isDomainError(err)) return { kind: 'internal', code: 'internal', message: 'internal error' }
  return { kind: err.kind, code: err.code, message: err.message, field: err.field ?? '' }
}

/** The domain error a peer answered an item with. */
export function fromProblem(problem: Problem__Output): DomainError {
  const kind = isErrorKind(problem.kind) ? problem.kind : 'internal'
  return new DomainError(kind, problem.code, problem.message, problem.field || undefined)
}

/** An item's trace context as sent with a batch (see traceContextOf). */
export function traceCarrierOfItem(trace: TraceContext__Output | undefined): TraceCarrier {
  const carrier: TraceCarrier = {}
  if (trace?.traceparent) carrier.traceparent = trace.traceparent
  if (trace?.tracestate) carrier.tracestate = trace.tracestate
  return carrier
}

/** The caller's trace context, to send beside an item of a batch. */
export function traceContextOf(carrier: TraceCarrier): TraceContext {
  return { traceparent: carrier.traceparent ?? '', tracestate: carrier.tracestate ?? '' }
}

/**
 * Server side: serves each item of a batch request alone, each in a SERVER
 * span named after the RPC in the trace its caller sent with it (`traces`,
 * parallel to `items`), and answers `{ [key]: result }` or `{ problem }` for
 * each, in order. `onError` sees the unexpected (non-domain) errors, for logging.
 */
export async function answerEach<In, Out, K extends string>(
  batch: { rpc: string; items: readonly In[]; traces?: readonly TraceContext__Output[] },
  key: K,
  serve: (item: In) => Promise<Out>,
  onError?: (err: unknown) => void,
): Promise<Array<{ [P in K]?: Out } & { problem?: Problem }>> {
  const answers = await Promise.all(
    batch.items.map((item, i) =>
      inSpan(
        `rpc ${batch.rpc}`,
        { kind: SpanKind.SERVER, parent: traceCarrierOfItem(batch.traces?.[i]) },
        () => serve(item),
      ).then(
        (result) => ({ [key]: result }),
        (err: unknown) => {
          if (!isDomainError(err)) onError?.(err)
          return { problem: toProblem(err) }
        },
      ),
    ),
  )
  return answers as Array<{ [P in K]?: Out } & { problem?: Problem }>
}

/**
 * A batch RPC whose items are each served alone (answerEach): `{ outcomes }`,
 * one per item of `itemsOf(request)`, in order. `onError` sees unexpected
 * errors, of an item or of the call.
 */
export function unaryEach<Req extends { traces?: TraceContext__Output[] }, Res, Item, Out>(
  rpc: string,
  itemsOf: (request: Req) => readonly Item[],
  key: string,
  serve: (item: Item) => Promise<Out>,
  onError?: (rpc: string, err: unknown) => void,
): grpc.handleUnaryCall<Req, Res> {
  return unary<Req, Res>(
    rpc,
    async (request) =>
      ({
        outcomes: await answerEach(
          { rpc, items: itemsOf(request), traces: request.traces },
          key,
          serve,
          (err) => onError?.(rpc, err),
        ),
      }) as Res,
    onError,
  )
}

/** Client side: a batch response's outcomes as the batcher's outcomes, a problem rebuilt as its domain error. */
export function outcomesOf<Out>(
  outcomes: ReadonlyArray<{ problem?: Problem__Output | null }>,
  key: string,
): Outcome<Out>[] {
  return outcomes.map((o): Outcome<Out> => {
    if (o.problem) return { ok: false, error: fromProblem(o.problem) }
    const value = (o as Record<string, unknown>)[key] as Out | null | undefined
    if (value == null)
      return { ok: false, error: new DomainError('internal', 'bad_batch_answer', `no ${key} in the answer`) }
    return { ok: true, value }
  })
}
