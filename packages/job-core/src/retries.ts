/**
 * Retries of a failed job. A customer may ask for a job to be run again
 * when its process fails (a transient CUDA or NCCL error, a flaky node):
 * `maxRetries` more placements after the first, each a new run that
 * restores the job's checkpoint if it keeps one. Each failed attempt's
 * GPU-seconds are paid like a lost run's; so the funds held cover every
 * attempt at its longest. A run stopped by its time limit is not retried
 * (it would only reach the limit again), nor one the customer cancelled.
 */

/** Most retries a job may ask for. */
export const MAX_RETRIES = 10

/** Why the agent stopped a run that reached the job's maxDurationS (its completion's `error`). */
export const MAX_DURATION_EXCEEDED = 'max duration exceeded'

/** How many runs a job may take: its first and each retry. */
export const attemptsOf = (spec: { maxRetries?: number | undefined }): number => 1 + (spec.maxRetries ?? 0)

/**
 * Whether a placement that failed (some rank exited non-zero) is placed
 * again: `failedAttempts` counts the job's failed placements, this one
 * included.
 */
export function retriesFailure(failure: {
  maxRetries: number | undefined
  failedAttempts: number
  error: string
}): boolean {
  return failure.failedAttempts <= (failure.maxRetries ?? 0) && failure.error !== MAX_DURATION_EXCEEDED
}

/** A render job retries chunk by chunk (render.maxAttempts): maxRetries is for the others. */
export function retriesProblem(
  spec: { maxRetries?: number | undefined },
  isRender: boolean,
): { field: string; detail: string } | undefined {
  if (isRender && spec.maxRetries !== undefined)
    return {
      field: 'maxRetries',
      detail:
        'a render job retries each failed chunk on another node (render.maxAttempts); maxRetries is for other jobs',
    }
  return undefined
}
