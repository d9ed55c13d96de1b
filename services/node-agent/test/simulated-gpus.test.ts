import { describe, expect, it } from 'vitest'
import { parseSimulatedGpus, simulatedGpus } from '../src/simulated-gpus.js'

describe('--simulate-gpus', () => {
  it.each([
    [
      '2xRTX4090:24,1xA100:80',
      [
        { count: 2, model: 'RTX4090', vramGib: 24 },
        { count: 1, model: 'A100', vramGib: 80 },
      ],
    ],
    ['8xH100:80', [{ count: 8, model: 'H100', vramGib: 80 }]],
    ['L40S:48', [{ count: 1, model: 'L40S', vramGib: 48 }]],
    [
      ' 2 x rtx4090 : 24 , 1xa100:40 ',
      [
        { count: 2, model: 'RTX4090', vramGib: 24 },
        { count: 1, model: 'A100', vramGib: 40 },
      ],
    ],
  ])('reads %j', (spec, groups) => {
    expect(parseSimulatedGpus(spec)).toEqual(groups)
  })

  it.each([
    ['2xRTX4090', 'entry "2xRTX4090" must look like COUNTxMODEL:VRAM_GIB'],
    ['2xRTX4090:24GB', 'must look like COUNTxMODEL:VRAM_GIB'],
    ['0xA100:80', 'at least 1 GPU'],
    ['1xA100:0', '1 to 1024 GiB'],
    ['2xRTX4090:24,,1xA100:80', 'entry "" must look like'],
    ['   ', 'is empty'],
    ['65xH100:80', 'at most 64'],
  ])('rejects %j', (spec, problem) => {
    expect(() => parseSimulatedGpus(spec)).toThrow(problem)
  })

  it('numbers GPUs from 0 in declaration order with VRAM in MiB', () => {
    const gpus = simulatedGpus(parseSimulatedGpus('2xRTX4090:24,1xA100:80'), 'node-a')
    expect(gpus.map(({ index, model, vramMib }) => ({ index, model, vramMib }))).toEqual([
      { index: 0, model: 'RTX4090', vramMib: 24_576 },
      { index: 1, model: 'RTX4090', vramMib: 24_576 },
      { index: 2, model: 'A100', vramMib: 81_920 },
    ])
  })

  it('gives stable UUIDs per node and different ones on another node', () => {
    const groups = parseSimulatedGpus('2xRTX4090:24')
    const first = simulatedGpus(groups, 'node-a').map((gpu) => gpu.uuid)
    expect(simulatedGpus(groups, 'node-a').map((gpu) => gpu.uuid)).toEqual(first)
    expect(new Set(first).size).toBe(2)
    expect(simulatedGpus(groups, 'node-b').map((gpu) => gpu.uuid)).not.toContain(first[0])
    expect(first[0]).toMatch(/^GPU-sim-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })
})
