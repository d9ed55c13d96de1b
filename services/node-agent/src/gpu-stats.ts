import { execFile } from 'node:child_process'
import type { Gpu, GpuStats } from '@idlegrid/proto/registry'

/**
 * Live GPU utilisation for heartbeats and progress: what checkers and
 * customers look at to see that the GPUs really work. Real GPUs are asked
 * through nvidia-smi (in the background, so a slow driver never delays a
 * heartbeat); simulated GPUs report what a busy or idle card would.
 */
export const GPU_STATS_ARGS = [
  '--query-gpu=index,utilization.gpu,memory.used,temperature.gpu',
  '--format=csv,noheader,nounits',
]

const count = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) : 0)

/** Parses the output of `nvidia-smi` with GPU_STATS_ARGS; "[N/A]" reads as 0, unreadable lines are skipped. */
export function parseGpuStats(csv: string): GpuStats[] {
  const stats: GpuStats[] = []
  for (const line of csv.split(/\r?\n/)) {
    const [index, utilization, memoryUsed, temperature] = line.split(',').map((field) => field.trim())
    if (index === undefined || !/^\d+$/.test(index) || temperature === undefined) continue
    stats.push({
      index: Number(index),
      utilizationPct: Math.min(100, count(utilization)),
      memoryUsedMib: count(memoryUsed),
      temperatureC: count(temperature),
    })
  }
  return stats
}

/** GPUs of running assignments: 100 %, half their memory, 72 °C; idle ones: 0 %, 0 MiB, 38 °C. */
export function simulatedGpuStats(gpus: Gpu[], busy: ReadonlySet<number>): GpuStats[] {
  return gpus.map(({ index = 0, vramMib = 0 }) =>
    busy.has(index)
      ? { index, utilizationPct: 100, memoryUsedMib: Math.floor(vramMib / 2), temperatureC: 72 }
      : { index, utilizationPct: 0, memoryUsedMib: 0, temperatureC: 38 },
  )
}

/** One nvidia-smi sample; undefined when it fails. */
export function queryGpuStats(nvidiaSmi = 'nvidia-smi', timeoutMs = 5_000): Promise<GpuStats[] | undefined> {
  return new Promise((resolve) => {
    execFile(nvidiaSmi, GPU_STATS_ARGS, { timeout: timeoutMs }, (error, stdout) =>
      resolve(error ? undefined : parseGpuStats(stdout)),
    )
  })
}

export interface GpuStatsSampler {
  /** The latest stats, all GPUs. */
  current(): GpuStats[]
  /** Starts a new sample unless one is running. */
  refresh(): void
}

export function createGpuStatsSampler(options: {
  simulated: boolean
  gpus: Gpu[]
  /** Indexes of GPUs that running assignments hold. */
  busy: () => ReadonlySet<number>
  query?: () => Promise<GpuStats[] | undefined>
}): GpuStatsSampler {
  const { simulated, gpus, busy, query = () => queryGpuStats() } = options
  if (simulated || gpus.length === 0) {
    return { current: () => simulatedGpuStats(gpus, busy()), refresh: () => {} }
  }
  let latest: GpuStats[] = []
  let sampling = false
  return {
    current: () => latest,
    refresh() {
      if (sampling) return
      sampling = true
      query()
        .then((stats) => {
          if (stats) latest = stats
        })
        .finally(() => {
          sampling = false
        })
    },
  }
}

/** The stats of some GPUs, in the order given. */
export function statsOf(all: GpuStats[], indexes: number[]): GpuStats[] {
  return indexes.flatMap((index) => all.filter((gpu) => gpu.index === index))
}
