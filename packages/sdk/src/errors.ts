import type { Problem, UnprocessableProblem } from './types.js'

/** A problem+json body: the common fields, what a 422 adds, and anything a newer server sends. */
export type ProblemDetails = Problem &
  Partial<Pick<UnprocessableProblem, 'nodesConsidered' | 'rejections' | 'hints'>> & {
    [extra: string]: unknown
  }

/**
 * Every failure of a call: an RFC 9457 problem answered by the API (`status`,
 * stable `code`, `detail`, the offending `field`), or — with `status` 0 and
 * code `unreachable` — no answer at all.
 */
export class IdlegridError extends Error {
  override readonly name = 'IdlegridError'
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly field: string | undefined
  readonly problem: ProblemDetails
  /** How long the server asked us to wait before trying again (429/503), when it said. */
  readonly retryAfterMs: number | undefined

  constructor(problem: ProblemDetails, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(`${problem.detail} (${problem.code}, HTTP ${problem.status})`, { cause: options.cause })
    this.problem = problem
    this.status = problem.status
    this.code = problem.code
    this.detail = problem.detail
    this.field = problem.field
    this.retryAfterMs = options.retryAfterMs
  }
}

export const isIdlegridError = (err: unknown): err is IdlegridError => err instanceof IdlegridError

/** A problem for a failure that came with no problem+json body. */
export function syntheticProblem(status: number, code: string, detail: string): ProblemDetails {
  return { type: 'about:blank', title: code.replaceAll('_', ' '), status, code, detail }
}
