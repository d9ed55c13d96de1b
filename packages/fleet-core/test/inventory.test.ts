import { describe, expect, it } from 'vitest'
import { type InventoryClaim, nextAssignmentState, nodeReputation, validateInventory } from '../src/index.js'

const good: InventoryClaim = {
  providerId: 'prov_demo',
  gpus: [
    { index: 0, model: 'RTX4090', vramMib: 24576, uuid: 'GPU-1' },
    { index: 1, model: 'RTX4090', vramMib: 24576, uuid: 'GPU-2' },
  ],
  cpuCores: 16,
  ramMib: 65536,
  hostname: 'rig-1',
  region: 'eu-west',
  pricePerGpuHourMicros: 450_000n,
}

describe('validateInventory', () => {
  it('accepts an honest inventory', () => {
    expect(() => validateInventory(good)).not.toThrow()
  })

  it.each<[string, Partial<InventoryClaim>, string]>([
    ['no GPUs', { gpus: [] }, 'inventory.gpus'],
    [
      'absurd VRAM',
      { gpus: [{ index: 0, model: 'RTX4090', vramMib: 9_999_999, uuid: '' }] },
      'inventory.gpus[0].vramMib',
    ],
    [
      'bad model name',
      { gpus: [{ index: 0, model: 'rtx 4090!', vramMib: 24576, uuid: '' }] },
      'inventory.gpus[0].model',
    ],
    [
      'duplicate index',
      {
        gpus: [
          { index: 0, model: 'A100', vramMib: 81920, uuid: '' },
          { index: 0, model: 'A100', vramMib: 81920, uuid: '' },
        ],
      },
      'inventory.gpus[1].index',
    ],
    ['no CPU', { cpuCores: 0 }, 'inventory.cpuCores'],
    ['bad region', { region: 'EU West' }, 'inventory.region'],
    ['free GPUs', { pricePerGpuHourMicros: 0n }, 'pricePerGpuHourMicros'],
    ['no provider', { providerId: '' }, 'providerId'],
  ])('refuses %s, naming %s', (_name, change, field) => {
    expect(() => validateInventory({ ...good, ...change })).toThrow(expect.objectContaining({ field }))
  })
})

describe('nextAssignmentState', () => {
  it.each([
    ['pending', 'ack', 'acked'],
    ['pending', 'progress', 'acked'],
    ['acked', 'ack', undefined],
    ['acked', 'progress', undefined],
    ['acked', 'complete', 'completed'],
    ['pending', 'complete', 'completed'],
    ['completed', 'complete', undefined],
  ] as const)('%s + %s → %s', (state, signal, next) => {
    expect(nextAssignmentState(state, signal)).toBe(next)
  })

  it('refuses progress after completion', () => {
    expect(() => nextAssignmentState('completed', 'progress')).toThrow(/already completed/)
  })
})

describe('nodeReputation', () => {
  it.each([
    [0, 0, 0.5],
    [1, 0, 2 / 3],
    [0, 1, 1 / 3],
    [98, 0, 0.99],
  ])('%i finished, %i lost → %d', (completed, lost, expected) => {
    expect(nodeReputation(completed, lost)).toBeCloseTo(expected, 6)
  })
})
