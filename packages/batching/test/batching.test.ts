import { describe, expect, it } from 'vitest'
import { createBatcher, eachAlone, type Outcome } from '../src/index.js'

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })
const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('createBatcher', () => {
  it('serves calls that arrive together in one batch, each with its own answer', async () => {
    const batches: number[][] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 100,
      run: async (items) => {
        batches.push(items)
        return items.map((n) => ok(n * 2))
      },
    })
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.add(n)))
    expect(answers).toEqual([2, 4, 6])
    expect(batches).toEqual([[1, 2, 3]])
  })

  it('gathers the calls that arrive while a batch is out into the next one, at most maxBatch each', async () => {
    const batches: number[][] = []
    let release: () => void = () => {}
    const batcher = createBatcher<number, number>({
      maxBatch: 2,
      run: async (items) => {
        batches.push(items)
        if (batches.length === 1) await new Promise<void>((r) => (release = r))
        return items.map(ok)
      },
    })
    const first = batcher.add(0)
    await tick()
    const later = [1, 2, 3].map((n) => batcher.add(n))
    await tick()
    // One batch at a time: the later calls wait for the first.
    expect(batches).toEqual([[0]])
    release()
    expect(await Promise.all([first, ...later])).toEqual([0, 1, 2, 3])
    expect(batches).toEqual([[0], [1, 2], [3]])
  })

  it('with a linger, an idle batcher waits for company: calls spread over a few ms share one batch', async () => {
    const batches: number[][] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 100,
      lingerMs: 30,
      run: async (items) => {
        batches.push(items)
        return items.map(ok)
      },
    })
    const first = batcher.add(1)
    await new Promise((r) => setTimeout(r, 5))
    const second = batcher.add(2)
    await tick()
    expect(batches).toEqual([])
    expect(await Promise.all([first, second])).toEqual([1, 2])
    expect(batches).toEqual([[1, 2]])
  })

  it('with a linger, a full batch goes at once and calls gathered behind a batch do not linger again', async () => {
    const batches: number[][] = []
    let release: () => void = () => {}
    const batcher = createBatcher<number, number>({
      maxBatch: 2,
      lingerMs: 60_000,
      run: async (items) => {
        batches.push(items)
        if (batches.length === 1) await new Promise<void>((r) => (release = r))
        return items.map(ok)
      },
    })
    const full = [1, 2].map((n) => batcher.add(n))
    await tick()
    await tick()
    expect(batches).toEqual([[1, 2]])
    const behind = batcher.add(3)
    await tick()
    release()
    // A minute's linger would time the test out: the call that waited behind the batch goes next.
    expect(await Promise.all([...full, behind])).toEqual([1, 2, 3])
    expect(batches).toEqual([[1, 2], [3]])
  })

  it('keeps up to maxInFlight batches out at once', async () => {
    let out = 0
    let most = 0
    const batcher = createBatcher<number, number>({
      maxBatch: 1,
      maxInFlight: 3,
      run: async (items) => {
        out++
        most = Math.max(most, out)
        await new Promise((r) => setTimeout(r, 5))
        out--
        return items.map(ok)
      },
    })
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add(i)))
    expect(most).toBe(3)
  })

  it('fails only the item its outcome refuses', async () => {
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      run: async (items) =>
        items.map((n) => (n === 2 ? { ok: false as const, error: new Error('two is refused') } : ok(n))),
    })
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('two is refused')
  })

  it('fails every item of a batch that fails as a whole, by default', async () => {
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      run: async () => {
        throw new Error('peer unavailable')
      },
    })
    const settled = await Promise.allSettled([1, 2].map((n) => batcher.add(n)))
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
  })

  it('with split, retries each item of a failed batch alone so one bad item cannot fail the rest', async () => {
    const sizes: number[] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      onBatchError: 'split',
      run: async (items) => {
        sizes.push(items.length)
        if (items.includes(2)) throw new Error('constraint violated by 2')
        return items.map(ok)
      },
    })
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(sizes).toEqual([3, 1, 1, 1])
  })

  it('rejects an item whose batch answered too few outcomes instead of leaving it hanging', async () => {
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      run: async (items) => items.slice(1).map(ok),
    })
    const settled = await Promise.allSettled([1, 2].map((n) => batcher.add(n)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected'])
  })

  it('drain waits for every call taken so far', async () => {
    const done: number[] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 1,
      run: async (items) => {
        await new Promise((r) => setTimeout(r, 2))
        done.push(...items)
        return items.map(ok)
      },
    })
    for (const n of [1, 2, 3]) void batcher.add(n)
    await batcher.drain()
    expect(done).toEqual([1, 2, 3])
    await batcher.drain()
  })

  it('reports each batch served', async () => {
    const seen: number[] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 10,
      run: async (items) => items.map(ok),
      onBatch: (size) => seen.push(size),
    })
    await Promise.all([1, 2].map((n) => batcher.add(n)))
    expect(seen).toEqual([2])
  })

  it('refuses a maxBatch below one', () => {
    expect(() => createBatcher({ maxBatch: 0, run: async () => [] })).toThrow(RangeError)
  })
})

describe('eachAlone', () => {
  it('turns each item’s result or error into its own outcome', async () => {
    const outcomes = await eachAlone([1, 2], async (n) => {
      if (n === 2) throw new Error('no')
      return n
    })
    expect(outcomes[0]).toEqual({ ok: true, value: 1 })
    expect(outcomes[1]!.ok).toBe(false)
  })
})
