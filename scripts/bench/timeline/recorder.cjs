'use strict'
/**
 * Preloaded (`--require`) into every process of a benchmark run with
 * `--timeline`: notes, with wall-clock times, each garbage-collection pause
 * of 4 ms or more and each stall of this process's event loop of 15 ms or
 * more, and keeps them in BENCH_TIMELINE_DIR/<process>-<pid>.json for the
 * benchmark to lay beside its slowest jobs (timeline/anatomy.ts).
 *
 * Plain CommonJS so that it loads before tsx does. The stall probe is a 5 ms
 * timer: 200 wake-ups a second per process, which is why it is opt-in.
 */
const { performance, PerformanceObserver, constants } = require('node:perf_hooks')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')
const { isMainThread } = require('node:worker_threads')

const dir = process.env.BENCH_TIMELINE_DIR
const service = process.argv.map((a) => /services\/([a-z-]+)\/src\/main\.ts$/.exec(a)?.[1]).find(Boolean)
const name = process.env.BENCH_CHILD ?? service ?? 'driver'

// Not in worker threads: tsx's module loader runs in one, and its pauses are not the process's.
if (dir && isMainThread) {
  const TICK_MS = 5
  const STALL_MS = 15
  const GC_MS = 4
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'gc minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'gc major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'gc incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'gc weak callbacks',
  }
  const events = []
  const wall = () => performance.timeOrigin + performance.now()
  let last = wall()
  setInterval(() => {
    const now = wall()
    const late = now - last - TICK_MS
    if (late >= STALL_MS) events.push({ kind: 'stall', at: last + TICK_MS, ms: late })
    last = now
  }, TICK_MS).unref()
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration >= GC_MS)
        events.push({
          kind: kinds[e.detail?.kind] ?? 'gc',
          at: performance.timeOrigin + e.startTime,
          ms: e.duration,
        })
  }).observe({ entryTypes: ['gc'] })
  const file = join(dir, `${name}-${process.pid}.json`)
  const save = () => {
    try {
      writeFileSync(file, JSON.stringify({ process: name, events }))
    } catch {
      // The folder went away (the run ended): nothing left to keep.
    }
  }
  setInterval(save, 1_000).unref()
  process.on('exit', save)
}
