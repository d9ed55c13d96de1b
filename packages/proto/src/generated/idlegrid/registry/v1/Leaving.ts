// Original file: proto/idlegrid/registry/v1/registry.proto


/**
 * The agent is shutting down: it stops its runs next (reporting each one
 * interrupted) and then closes the stream. The node takes no new work from
 * this message on, though its heartbeats go on while its runs stop.
 */
export interface Leaving {
  'reason'?: (string);
}

/**
 * The agent is shutting down: it stops its runs next (reporting each one
 * interrupted) and then closes the stream. The node takes no new work from
 * this message on, though its heartbeats go on while its runs stop.
 */
export interface Leaving__Output {
  'reason': (string);
}
