import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace'

/** W3C trace context as a plain map: goes into gRPC metadata and BullMQ job data. */
export type TraceCarrier = Record<string, string>

let sdk: NodeSDK | undefined

/**
 * Starts OpenTelemetry once per process. Spans are exported over OTLP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, to `exporter` when given (tests), and
 * nowhere otherwise; trace context propagates either way.
 */
export function startTelemetry(service: string, exporter?: SpanExporter): { shutdown(): Promise<void> } {
  if (!sdk) {
    if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT && !exporter) process.env.OTEL_TRACES_EXPORTER ??= 'none'
    process.env.OTEL_METRICS_EXPORTER ??= 'none'
    process.env.OTEL_LOGS_EXPORTER ??= 'none'
    sdk = new NodeSDK({
      serviceName: service,
      ...(exporter ? { spanProcessors: [new SimpleSpanProcessor({ exporter })] } : {}),
      instrumentations: [],
    })
    sdk.start()
  }
  const started = sdk
  return {
    async shutdown() {
      if (sdk !== started) return
      sdk = undefined
      await started.shutdown()
    },
  }
}

export const tracer = () => trace.getTracer('idlegrid')

/** The active trace context, serialised for another process. */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {}
  propagation.inject(context.active(), carrier)
  return carrier
}

/**
 * Runs `fn` outside any trace: work done for many traces at once (a batch
 * sent for many requests) must not be filed under whichever started it.
 */
export function outsideTraces<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn)
}

/**
 * Runs `fn` inside a span that continues the trace in `parent` (a carrier from
 * another process) or the current one; records failures on the span.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: TraceCarrier },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parentContext = options.parent
    ? propagation.extract(context.active(), options.parent)
    : context.active()
  return tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parentContext,
    async (span) => {
      try {
        return await fn(span)
      } catch (err) {
        span.recordException(err as Error)
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message })
        throw err
      } finally {
        span.end()
      }
    },
  )
}

export { SpanKind } from '@opentelemetry/api'
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace'
