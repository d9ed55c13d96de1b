/**
 * Micro-batching: calls that arrive together are served by one round trip
 * (one RPC, one statement, one commit) instead of one each, while every
 * caller still gets its own answer. An idle batcher starts a batch on the
 * next turn of the event loop, so a lone call waits for nobody; under load,
 * the calls that arrive while `maxInFlight` batches are out form the next
 * one, so batches grow with the load and the cost per call falls.
 */

/** One item's own answer in a batch. */
export type Outcome<Out> = { ok: true; value: Out } | { ok: false; error: unknown }

export interface BatcherOptions<In, Out> {
  /** Serves a batch: one outcome per item, in the items' order. */
  run(items: In[]): Promise<Outcome<Out>[]>
  /** Most items in one batch. */
  maxBatch: number
  /** Batches out at once (default 1). */
  maxInFlight?: number
  /**
   * When `run` rejects as a whole: `fail` gives every item that error;
   * `split` retries each item alone, so one bad item cannot fail its
   * neighbours (for work whose batch shares one transaction). Default `fail`.
   */
  onBatchError?: 'fail' | 'split'
  /**
   * How long an idle batcher waits for company before it starts a batch
   * (default 0: the next turn of the event loop). For work nobody waits on
   * (an agent's ack, a completion), a few milliseconds turn a trickle of
   * one-item transactions into a few larger ones; a full batch never waits.
   */
  lingerMs?: number
  /** Told of every batch served: its size and how long it took. */
  onBatch?(size: number, ms: number): void
}

export interface Batcher<In, Out> {
  /** Joins the next batch; resolves or rejects with this item's own outcome. */
  add(item: In): Promise<Out>
  /** Resolves once every item added so far has its answer. */
  drain(): Promise<void>
}

interface Waiting<In, Out> {
  item: In
  resolve(value: Out): void
  reject(err: unknown): void
}

export function createBatcher<In, Out>(options: BatcherOptions<In, Out>): Batcher<In, Out> {
  if (!(options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1')
  const maxInFlight = options.maxInFlight ?? 1
  let waiting: Waiting<In, Out>[] = []
  let inFlight = 0
  let scheduled = false
  const lingerMs = options.lingerMs ?? 0
  let lingering: NodeJS.Timeout | undefined
  const idle: Array<() => void> = []

  const settle = (call: Waiting<In, Out>, outcome: Outcome<Out> | undefined): void => {
    if (!outcome) call.reject(new Error('batch answered fewer outcomes than items'))
    else if (outcome.ok) call.resolve(outcome.value)
    else call.reject(outcome.error)
  }

  async function serve(batch: Waiting<In, Out>[]): Promise<void> {
    const started = performance.now()
    try {
      const outcomes = await options.run(batch.map((c) => c.item))
      batch.forEach((call, i) => {
        settle(call, outcomes[i])
      })
    } catch (err) {
      if (options.onBatchError !== 'split' || batch.length === 1) {
        for (const call of batch) call.reject(err)
      } else {
        await Promise.all(
          batch.map((call) =>
            options.run([call.item]).then(
              ([outcome]) => settle(call, outcome),
              (alone: unknown) => call.reject(alone),
            ),
          ),
        )
      }
    } finally {
      options.onBatch?.(batch.length, performance.now() - started)
    }
  }

  function pump(): void {
    scheduled = false
    if (lingering) clearTimeout(lingering)
    lingering = undefined
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatch)
      waiting = waiting.slice(batch.length)
      inFlight++
      void serve(batch).finally(() => {
        inFlight--
        if (waiting.length > 0) schedule()
        else if (inFlight === 0) for (const done of idle.splice(0)) done()
      })
    }
  }

  function schedule(fromIdle = false): void {
    if (scheduled) {
      // A full batch goes at once, whatever the linger.
      if (lingering && waiting.length >= options.maxBatch) {
        clearTimeout(lingering)
        lingering = undefined
        setImmediate(pump)
      }
      return
    }
    scheduled = true
    // One turn of the event loop first: calls that arrive in the same read join the batch. A call
    // that finds the batcher idle waits the linger for more, unless a batch is already full; calls
    // that gathered while a batch was out go as soon as it is back.
    if (fromIdle && lingerMs > 0 && inFlight === 0 && waiting.length < options.maxBatch)
      lingering = setTimeout(pump, lingerMs)
    else setImmediate(pump)
  }

  return {
    add(item) {
      return new Promise<Out>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        if (inFlight < maxInFlight) schedule(true)
      })
    },
    drain() {
      if (waiting.length === 0 && inFlight === 0) return Promise.resolve()
      return new Promise<void>((resolve) => idle.push(resolve))
    },
  }
}

/** Runs `fn` on each item on its own, as one batch's outcomes: a failing item fails alone. */
export function eachAlone<In, Out>(items: In[], fn: (item: In) => Promise<Out>): Promise<Outcome<Out>[]> {
  return Promise.all(
    items.map((item) =>
      fn(item).then(
        (value): Outcome<Out> => ({ ok: true, value }),
        (error: unknown): Outcome<Out> => ({ ok: false, error }),
      ),
    ),
  )
}
