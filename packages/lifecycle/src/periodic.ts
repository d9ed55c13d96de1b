/** A task a service runs on a timer (a sweep, a reconcile pass), on every replica. */
export interface Periodic {
  start(): void
  /** Stops the timer and waits for the pass in flight, if any. */
  stop(): Promise<void>
}

/**
 * Runs `pass` every `intervalMs`: a pass still running when the next is due
 * is not started twice, a pass that throws is handed to `onError` and the
 * next tick tries again, and the timer never keeps the process alive.
 */
export function createPeriodic(
  pass: () => Promise<unknown>,
  options: { intervalMs: number; onError: (err: unknown) => void },
): Periodic {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const tick = () => {
    if (running) return
    running = pass()
      .then(() => undefined, options.onError)
      .finally(() => {
        running = undefined
      })
  }
  return {
    start() {
      timer = setInterval(tick, options.intervalMs)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
