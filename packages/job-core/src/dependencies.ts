import type { JobStatus } from './index.js'

/**
 * Jobs that wait for others: a job naming `dependsOn` is held like any job
 * but not placed until every job it names has succeeded (a pipeline:
 * preprocess → train → evaluate); when one of them fails or is cancelled
 * instead, it is cancelled too, its funds given back.
 */

/** Most jobs one job may wait for. */
export const MAX_DEPENDENCIES = 20

export type DependencyVerdict =
  /** Every job it waits for succeeded: place it. */
  | { kind: 'ready' }
  /** Some are still queued or running. */
  | { kind: 'waiting'; on: string[] }
  /** One ended otherwise: it will never run. */
  | { kind: 'broken'; jobId: string; status: JobStatus }

/** What a job's dependencies, as they stand, mean for it. */
export function dependencyVerdict(deps: readonly { id: string; status: JobStatus }[]): DependencyVerdict {
  const broken = deps.find((d) => d.status === 'failed' || d.status === 'cancelled')
  if (broken) return { kind: 'broken', jobId: broken.id, status: broken.status }
  const on = deps.filter((d) => d.status !== 'succeeded').map((d) => d.id)
  return on.length === 0 ? { kind: 'ready' } : { kind: 'waiting', on }
}

/** A waiting job's reason, as its waitingReason shows it. */
export const waitingOnSummary = (on: readonly string[]) =>
  `waiting for ${on.join(', ')} to succeed (dependsOn)`

/** Why a job was cancelled with one of its dependencies. */
export const brokenSummary = (v: { jobId: string; status: JobStatus }) =>
  `cancelled: ${v.jobId}, which it depends on, ${v.status === 'failed' ? 'failed' : 'was cancelled'}`
