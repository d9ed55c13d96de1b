// Original file: proto/idlegrid/common/v1/problem.proto


/**
 * A domain error carried as data: a batch call answers each item on its own,
 * so one item's refusal travels beside its neighbours' results instead of
 * failing the call. The same fields a failed unary call carries in its
 * status and trailing metadata.
 */
export interface Problem {
  /**
   * The error kind: "invalid_argument", "insufficient_funds", "unprocessable", …
   */
  'kind'?: (string);
  /**
   * Stable machine-readable code, e.g. "insufficient_funds", "quote_expired".
   */
  'code'?: (string);
  'message'?: (string);
  /**
   * The request field at fault, if one is.
   */
  'field'?: (string);
}

/**
 * A domain error carried as data: a batch call answers each item on its own,
 * so one item's refusal travels beside its neighbours' results instead of
 * failing the call. The same fields a failed unary call carries in its
 * status and trailing metadata.
 */
export interface Problem__Output {
  /**
   * The error kind: "invalid_argument", "insufficient_funds", "unprocessable", …
   */
  'kind': (string);
  /**
   * Stable machine-readable code, e.g. "insufficient_funds", "quote_expired".
   */
  'code': (string);
  'message': (string);
  /**
   * The request field at fault, if one is.
   */
  'field': (string);
}
