import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detectGpus, parseNvidiaSmi } from '../src/gpu-discovery.js'
import { captureLogger } from './support/capture-logger.js'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/nvidia-smi/${name}`, import.meta.url), 'utf8')

describe('parseNvidiaSmi on real-world outputs', () => {
  it.each([
    ['dgx-h100-8x.csv', 8, 'H100', 81_559, '535.154.05', '9.0'],
    ['rtx4090-2x.csv', 2, 'RTX4090', 24_564, '550.54.14', '8.9'],
    ['a100-sxm4-4x.csv', 4, 'A100', 81_920, '525.85.12', '8.0'],
    ['cloud-t4.csv', 1, 'T4', 15_360, '535.104.12', '7.5'],
  ])('%s: %i × %s', (file, count, model, vramMib, driverVersion, computeCap) => {
    const gpus = parseNvidiaSmi(fixture(file))
    expect(gpus).toHaveLength(count)
    expect(gpus.map((gpu) => gpu.index)).toEqual([...Array(count).keys()])
    for (const gpu of gpus) {
      expect(gpu).toMatchObject({ model, vramMib, driverVersion, computeCap })
      expect(gpu.uuid).toMatch(/^GPU-[0-9a-f-]{36}$/)
    }
    expect(new Set(gpus.map((gpu) => gpu.uuid)).size).toBe(count)
  })

  it('keeps each card of a mixed box apart', () => {
    expect(parseNvidiaSmi(fixture('workstation-rtx3090-a6000.csv')).map((g) => [g.model, g.vramMib])).toEqual(
      [
        ['RTX3090', 24_576],
        ['RTXA6000', 49_140],
      ],
    )
    expect(parseNvidiaSmi(fixture('h100-pcie-l40s.csv')).map((g) => [g.name, g.model])).toEqual([
      ['NVIDIA H100 PCIe', 'H100'],
      ['NVIDIA L40S', 'L40S'],
    ])
  })

  it('reads drivers that do not know compute_cap', () => {
    const gpus = parseNvidiaSmi(fixture('old-driver-v100-no-compute-cap.csv'), { withComputeCap: false })
    expect(gpus.map((g) => [g.index, g.model, g.vramMib, g.driverVersion, g.computeCap])).toEqual([
      [0, 'V100', 16_160, '470.199.02', ''],
      [1, 'V100', 16_160, '470.199.02', ''],
    ])
  })

  it('skips blank and unreadable lines, keeps a name that contains a comma', () => {
    const csv =
      '\n0, NVIDIA H100 80GB HBM3, 81559, GPU-a, 535.1, 9.0\r\ngarbage\n1, Acme, Inc GPU, [N/A], GPU-b, 1.0, [N/A]\n'
    expect(parseNvidiaSmi(csv).map((g) => [g.index, g.name, g.vramMib, g.computeCap])).toEqual([
      [0, 'NVIDIA H100 80GB HBM3', 81_559, '9.0'],
      [1, 'Acme, Inc GPU', 0, ''],
    ])
  })
})

describe('detectGpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idlegrid-fake-nvidia-smi-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const fakeNvidiaSmi = (name: string, script: string) => {
    const file = join(dir, name)
    writeFileSync(file, `#!/bin/sh\n${script}\n`)
    chmodSync(file, 0o755)
    return file
  }

  it('lists the GPUs nvidia-smi reports', async () => {
    const csvFile = join(dir, 'h100.csv')
    writeFileSync(csvFile, fixture('dgx-h100-8x.csv'))
    const nvidiaSmi = fakeNvidiaSmi('ok', `cat '${csvFile}'`)
    const gpus = await detectGpus({ logger: captureLogger().logger, nvidiaSmi })
    expect(gpus.map((gpu) => gpu.model)).toEqual(Array(8).fill('H100'))
  })

  it('finds no GPUs, and says why, when nvidia-smi is not installed', async () => {
    const { logger, lines } = captureLogger()
    expect(await detectGpus({ logger, nvidiaSmi: join(dir, 'not-installed') })).toEqual([])
    expect(lines().map((line) => line.msg)).toEqual([
      expect.stringMatching(/nvidia-smi not found.*--simulate-gpus/),
    ])
  })

  it('finds no GPUs, and passes on the driver message, when nvidia-smi fails', async () => {
    const { logger, lines } = captureLogger()
    const nvidiaSmi = fakeNvidiaSmi(
      'broken',
      `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."; exit 9`,
    )
    expect(await detectGpus({ logger, nvidiaSmi })).toEqual([])
    expect(lines()).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining('nvidia-smi failed'),
        reason: expect.stringContaining('communicate with the NVIDIA driver'),
      }),
    ])
  })

  it('asks again without compute_cap on drivers older than R510', async () => {
    const csvFile = join(dir, 'v100.csv')
    writeFileSync(csvFile, fixture('old-driver-v100-no-compute-cap.csv'))
    const nvidiaSmi = fakeNvidiaSmi(
      'old',
      `case "$1" in *compute_cap*) echo 'Field "compute_cap" is not a valid field to query.'; exit 2;; esac\ncat '${csvFile}'`,
    )
    const gpus = await detectGpus({ logger: captureLogger().logger, nvidiaSmi })
    expect(gpus.map((gpu) => [gpu.model, gpu.vramMib])).toEqual([
      ['V100', 16_160],
      ['V100', 16_160],
    ])
  })
})
