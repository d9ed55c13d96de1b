import { ConflictError } from '@idlegrid/errors'

/**
 * An assignment's life on a node: delivered to the agent (pending), taken by
 * it (acked), finished (completed). Messages can repeat after reconnects, so
 * every transition is idempotent and a late message never moves it backwards.
 */
/** `preempting`: told to stop for a higher-priority job; its stop report ends it as lost (preempted). */
export type AssignmentState = 'pending' | 'acked' | 'preempting' | 'completed' | 'lost'

export type AssignmentSignal = 'ack' | 'progress' | 'complete'

const order: Record<AssignmentState, number> = {
  pending: 0,
  acked: 1,
  preempting: 1.5,
  completed: 2,
  lost: 2,
}

/** The state after `signal`, or `undefined` when the signal changes nothing (a repeat). */
export function nextAssignmentState(
  state: AssignmentState,
  signal: AssignmentSignal,
): AssignmentState | undefined {
  if (state === 'lost') {
    throw new ConflictError('assignment_lost', `this run was taken from a lost node, ${signal} refused`)
  }
  if (state === 'completed') {
    if (signal === 'complete') return undefined
    throw new ConflictError('assignment_completed', `assignment already completed, ${signal} refused`)
  }
  const target: AssignmentState = signal === 'complete' ? 'completed' : 'acked'
  return order[target] > order[state] ? target : undefined
}

/** Whole seconds of wall time, rounded up, times GPUs: the billable amount of a run. */
export function billableGpuSeconds(wallMs: number, gpus: number): number {
  return Math.max(1, Math.ceil(wallMs / 1000)) * gpus
}
