import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normaliseGpuModel, normaliseGpuModels } from '../src/gpu-models.js'

describe('normaliseGpuModel', () => {
  it.each([
    // As the driver prints them (nvidia-smi's name column).
    ['NVIDIA GeForce RTX 4090', 'RTX4090'],
    ['NVIDIA H100 80GB HBM3', 'H100'],
    ['NVIDIA A100-SXM4-80GB', 'A100'],
    ['NVIDIA A100 80GB PCIe', 'A100'],
    ['NVIDIA A100-PCIE-40GB', 'A100'],
    ['NVIDIA H100 PCIe', 'H100'],
    ['NVIDIA H100 NVL', 'H100'],
    ['NVIDIA H200', 'H200'],
    ['NVIDIA L40S', 'L40S'],
    ['Tesla T4', 'T4'],
    ['Tesla V100-SXM2-16GB', 'V100'],
    ['NVIDIA GeForce RTX 3080 Ti', 'RTX3080TI'],
    ['NVIDIA RTX A6000', 'RTXA6000'],
    ['NVIDIA RTX 6000 Ada Generation', 'RTX6000ADA'],
    ['Quadro RTX 8000', 'RTX8000'],
    ['NVIDIA', 'NVIDIA'],
    // As customers type them.
    ['rtx4090', 'RTX4090'],
    ['RTX 4090', 'RTX4090'],
    ['rtx-4090', 'RTX4090'],
    ['a100-80gb', 'A100'],
    ['h100 sxm', 'H100'],
    ['  l4 ', 'L4'],
    // Marketplace names are their own.
    ['RTX4090', 'RTX4090'],
    ['A100', 'A100'],
    ['L4', 'L4'],
  ])('%j → %s', (name, model) => {
    expect(normaliseGpuModel(name)).toBe(model)
  })

  const typed = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,40}$/)

  it('names a name it has produced the same again, so agents and customers meet on one name', () => {
    fc.assert(
      fc.property(typed, (name) => {
        const once = normaliseGpuModel(name)
        expect(normaliseGpuModel(once)).toBe(once)
      }),
    )
  })

  it('ignores case and the spaces or hyphens between words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), { minLength: 1, maxLength: 5 }),
        (words) => {
          const spaced = words.join(' ')
          expect(normaliseGpuModel(spaced.toLowerCase())).toBe(normaliseGpuModel(spaced.toUpperCase()))
          expect(normaliseGpuModel(words.join('-'))).toBe(normaliseGpuModel(spaced))
        },
      ),
    )
  })
})

describe('normaliseGpuModels', () => {
  it('keeps each model once, in the order first given', () => {
    expect(normaliseGpuModels(['rtx 4090', 'A100', 'NVIDIA GeForce RTX 4090', 'a100-sxm4-80gb'])).toEqual([
      'RTX4090',
      'A100',
    ])
    expect(normaliseGpuModels([])).toEqual([])
  })
})
