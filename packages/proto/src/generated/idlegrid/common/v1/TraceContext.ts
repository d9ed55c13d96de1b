// Original file: proto/idlegrid/common/v1/problem.proto


/**
 * The W3C trace context of one item of a batch call: each item is served in
 * its own span, in the trace of the request it belongs to.
 */
export interface TraceContext {
  'traceparent'?: (string);
  'tracestate'?: (string);
}

/**
 * The W3C trace context of one item of a batch call: each item is served in
 * its own span, in the trace of the request it belongs to.
 */
export interface TraceContext__Output {
  'traceparent': (string);
  'tracestate': (string);
}
