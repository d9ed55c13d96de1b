import { readFileSync } from 'node:fs'
import type { GpuStats } from '@idlegrid/proto/registry'
import { describe, expect, it } from 'vitest'
import { createGpuStatsSampler, GPU_STATS_ARGS, parseGpuStats, simulatedGpuStats } from '../src/gpu-stats.js'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/nvidia-smi/${name}`, import.meta.url), 'utf8')

describe('GPU stats from nvidia-smi', () => {
  it('asks for index, utilisation, memory used and temperature without units', () => {
    expect(GPU_STATS_ARGS).toEqual([
      '--query-gpu=index,utilization.gpu,memory.used,temperature.gpu',
      '--format=csv,noheader,nounits',
    ])
  })

  it('reads an idle and a busy RTX 4090', () => {
    expect(parseGpuStats(fixture('stats-rtx4090-2x.csv'))).toEqual([
      { index: 0, utilizationPct: 0, memoryUsedMib: 2, temperatureC: 38 },
      { index: 1, utilizationPct: 97, memoryUsedMib: 18_432, temperatureC: 61 },
    ])
  })

  it('reads a real H100 idle and then busy with a matmul loop', () => {
    expect(parseGpuStats(fixture('stats-h100-vm-idle.csv'))).toEqual([
      { index: 0, utilizationPct: 0, memoryUsedMib: 0, temperatureC: 43 },
    ])
    expect(parseGpuStats(fixture('stats-h100-vm-busy.csv'))).toEqual([
      { index: 0, utilizationPct: 100, memoryUsedMib: 20_469, temperatureC: 56 },
    ])
  })

  it('reads [N/A] as 0 and skips lines it cannot read', () => {
    expect(parseGpuStats(`${fixture('stats-h100-na.csv')}\nNo devices were found\n\n`)).toEqual([
      { index: 0, utilizationPct: 0, memoryUsedMib: 4, temperatureC: 33 },
      { index: 1, utilizationPct: 100, memoryUsedMib: 79_010, temperatureC: 71 },
    ])
  })
})

describe('simulated GPU stats', () => {
  const gpus = [
    { index: 0, vramMib: 24_576 },
    { index: 1, vramMib: 24_576 },
  ]

  it('shows GPUs of running assignments busy and the rest idle', () => {
    expect(simulatedGpuStats(gpus, new Set([1]))).toEqual([
      { index: 0, utilizationPct: 0, memoryUsedMib: 0, temperatureC: 38 },
      { index: 1, utilizationPct: 100, memoryUsedMib: 12_288, temperatureC: 72 },
    ])
  })

  it('follows the running set as it changes', () => {
    const busy = new Set<number>()
    const sampler = createGpuStatsSampler({ simulated: true, gpus, busy: () => busy })
    expect(sampler.current().map((s) => s.utilizationPct)).toEqual([0, 0])
    busy.add(0)
    expect(sampler.current().map((s) => s.utilizationPct)).toEqual([100, 0])
  })
})

describe('real GPU sampling', () => {
  it('keeps the last good sample and never runs two nvidia-smi at once', async () => {
    let calls = 0
    let answer: (stats: GpuStats[] | undefined) => void = () => {}
    const sampler = createGpuStatsSampler({
      simulated: false,
      gpus: [{ index: 0 }],
      busy: () => new Set(),
      query: () => {
        calls++
        return new Promise((resolve) => {
          answer = resolve
        })
      },
    })
    expect(sampler.current()).toEqual([])
    sampler.refresh()
    sampler.refresh()
    expect(calls).toBe(1)
    answer([{ index: 0, utilizationPct: 55, memoryUsedMib: 100, temperatureC: 50 }])
    await new Promise((resolve) => setImmediate(resolve))
    expect(sampler.current()).toEqual([
      { index: 0, utilizationPct: 55, memoryUsedMib: 100, temperatureC: 50 },
    ])
    sampler.refresh()
    expect(calls).toBe(2)
    answer(undefined)
    await new Promise((resolve) => setImmediate(resolve))
    expect(sampler.current()[0]?.utilizationPct).toBe(55)
  })
})
