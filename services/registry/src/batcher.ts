/**
 * Natural batching: items submitted while a batch is being handled wait and
 * go together in the next one, so a batch is as large as the load makes it
 * and a lone item is handled at once. `handle` answers each item (in order)
 * with undefined or the error that item alone fails with; a thrown error
 * fails the whole batch.
 */
export class Batcher<T> {
  private waiting: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = []
  private running = 0
  private scheduled = false

  constructor(
    private readonly handle: (items: T[]) => Promise<(unknown | undefined)[]>,
    private readonly options: { maxBatch: number; inFlight: number },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      // Items submitted in the same turn of the event loop go together.
      setImmediate(() => {
        this.scheduled = false
        this.pump()
      })
    })
  }

  private pump(): void {
    while (this.running < this.options.inFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch)
      this.running++
      this.handle(batch.map((b) => b.item))
        .then(
          (errors) =>
            batch.forEach((b, i) => {
              const err = errors[i]
              if (err === undefined) b.resolve()
              else b.reject(err)
            }),
          (err) => {
            for (const b of batch) b.reject(err)
          },
        )
        .finally(() => {
          this.running--
          this.pump()
        })
    }
  }
}
