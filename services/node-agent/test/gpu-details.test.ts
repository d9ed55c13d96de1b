import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  interconnectFor,
  parseCudaVersion,
  parseNvlinkStatus,
  simulatedGpuDetails,
} from '../src/gpu-details.js'
import { detectGpus } from '../src/gpu-discovery.js'
import { describeNode } from '../src/inventory.js'
import { parseSimulatedGpus } from '../src/simulated-gpus.js'
import { captureLogger, silentLogger } from './support/capture-logger.js'

const fixturePath = (name: string) => new URL(`./fixtures/nvidia-smi/${name}`, import.meta.url).pathname
const fixture = (name: string) => readFileSync(fixturePath(name), 'utf8')

describe('CUDA version from the nvidia-smi header', () => {
  it.each([
    ['header-580-h100-vm.txt', '13.0'],
    ['header-550-rtx4090-2x.txt', '12.4'],
    ['header-535-h100.txt', '12.2'],
    ['header-470-v100.txt', '11.4'],
    ['rtx4090-2x.csv', ''],
  ])('%s → %j', (file, version) => {
    expect(parseCudaVersion(fixture(file))).toBe(version)
  })
})

describe('nvidia-smi nvlink --status', () => {
  it('finds GPUs with active links and none on cards without NVLink', () => {
    expect([...parseNvlinkStatus(fixture('nvlink-a100-sxm4-4x.txt'))]).toEqual([0, 1, 2, 3])
    expect([...parseNvlinkStatus(fixture('nvlink-rtx3090-bridge-a6000.txt'))]).toEqual([0, 1])
    expect(parseNvlinkStatus(fixture('nvlink-rtx4090-none.txt')).size).toBe(0)
    expect(parseNvlinkStatus('').size).toBe(0)
  })
})

describe('interconnect', () => {
  it.each([
    ['NVIDIA A100-SXM4-80GB', 'A100', false, 'sxm'],
    ['Tesla V100-SXM2-16GB', 'V100', false, 'sxm'],
    ['NVIDIA H100 80GB HBM3', 'H100', false, 'sxm'],
    ['NVIDIA H200', 'H200', false, 'sxm'],
    ['NVIDIA H100 PCIe', 'H100', false, 'pcie'],
    ['NVIDIA H100 NVL', 'H100', true, 'nvlink'],
    ['NVIDIA A100 80GB PCIe', 'A100', false, 'pcie'],
    ['NVIDIA GeForce RTX 3090', 'RTX3090', true, 'nvlink'],
    ['NVIDIA GeForce RTX 4090', 'RTX4090', false, 'pcie'],
  ] as const)('%s (links active: %s) → %s', (name, model, active, expected) => {
    expect(interconnectFor(name, model, active)).toBe(expected)
  })
})

describe('simulated GPU details', () => {
  it.each([
    ['RTX4090', '8.9', 'pcie'],
    ['A100', '8.0', 'sxm'],
    ['H100', '9.0', 'sxm'],
    ['H200', '9.0', 'sxm'],
    ['L4', '8.9', 'pcie'],
    ['RTX3090', '8.6', 'pcie'],
    ['A10', '8.6', 'pcie'],
  ])('%s: sm %s on driver 550.54.15 / CUDA 12.4, %s', (model, computeCapability, interconnect) => {
    expect(simulatedGpuDetails(model)).toEqual({
      computeCapability,
      driverVersion: '550.54.15',
      cudaVersion: '12.4',
      interconnect,
    })
  })

  it('claims nothing for a model it does not know', () => {
    expect(simulatedGpuDetails('MYSTERY9000')).toEqual({
      computeCapability: '',
      driverVersion: '',
      cudaVersion: '',
      interconnect: 'pcie',
    })
  })
})

describe('detection with a fake nvidia-smi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idlegrid-fake-smi-details-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const fakeNvidiaSmi = (csv: string, header: string, nvlink: string | undefined | 'silent') => {
    const file = join(dir, `smi-${csv}`)
    const nvlinkAnswer =
      nvlink === 'silent'
        ? 'true'
        : nvlink
          ? `cat '${fixturePath(nvlink)}'`
          : `echo 'nvlink: unsupported'; exit 3`
    writeFileSync(
      file,
      `#!/bin/sh
case "$1" in
  --query-gpu=*) cat '${fixturePath(csv)}' ;;
  nvlink) ${nvlinkAnswer} ;;
  *) cat '${fixturePath(header)}' ;;
esac
`,
    )
    chmodSync(file, 0o755)
    return file
  }

  it('adds the CUDA version and NVLink to each GPU', async () => {
    const nvidiaSmi = fakeNvidiaSmi(
      'workstation-2x3090-nvlink-a6000.csv',
      'header-535-h100.txt',
      'nvlink-rtx3090-bridge-a6000.txt',
    )
    const gpus = await detectGpus({ logger: silentLogger(), nvidiaSmi })
    expect(gpus.map((g) => [g.model, g.computeCap, g.driverVersion, g.cudaVersion, g.interconnect])).toEqual([
      ['RTX3090', '8.6', '545.29.06', '12.2', 'nvlink'],
      ['RTX3090', '8.6', '545.29.06', '12.2', 'nvlink'],
      ['RTXA6000', '8.6', '545.29.06', '12.2', 'pcie'],
    ])
  })

  it('reads a real H100 VM (driver 580; nvlink --status prints nothing there)', async () => {
    const nvidiaSmi = fakeNvidiaSmi('h100-vm-1x.csv', 'header-580-h100-vm.txt', 'silent')
    const gpus = await detectGpus({ logger: silentLogger(), nvidiaSmi })
    expect(gpus).toEqual([
      {
        index: 0,
        model: 'H100',
        name: 'NVIDIA H100 80GB HBM3',
        vramMib: 81_559,
        uuid: 'GPU-6baef615-1adb-c869-7fc8-0d613ad59372',
        driverVersion: '580.159.04',
        computeCap: '9.0',
        cudaVersion: '13.0',
        interconnect: 'sxm',
      },
    ])
  })

  it('still lists the GPUs when the nvlink subcommand fails', async () => {
    const nvidiaSmi = fakeNvidiaSmi('a100-sxm4-4x.csv', 'header-550-rtx4090-2x.txt', undefined)
    const gpus = await detectGpus({ logger: silentLogger(), nvidiaSmi })
    expect(gpus.map((g) => g.interconnect)).toEqual(['sxm', 'sxm', 'sxm', 'sxm'])
    expect(gpus[0]?.cudaVersion).toBe('12.4')
  })

  it('sends the registry the full inventory of the machine', async () => {
    const nvidiaSmi = fakeNvidiaSmi('rtx4090-2x.csv', 'header-550-rtx4090-2x.txt', 'nvlink-rtx4090-none.txt')
    const { logger, lines } = captureLogger()
    const inventory = await describeNode({
      nodeName: 'rig-9',
      region: 'eu-west',
      country: 'NL',
      bandwidthUpMbps: 400,
      bandwidthDownMbps: 900,
      workDir: dir,
      logger,
      detect: (log) => detectGpus({ logger: log, nvidiaSmi }),
    })
    expect(inventory).toMatchObject({
      hostname: 'rig-9',
      country: 'NL',
      bandwidthUpMbps: 400,
      bandwidthDownMbps: 900,
      simulated: false,
      gpus: [
        {
          index: 0,
          model: 'RTX4090',
          vramMib: 24_564,
          computeCapability: '8.9',
          driverVersion: '550.54.14',
          cudaVersion: '12.4',
          interconnect: 'pcie',
        },
        { index: 1, model: 'RTX4090', uuid: 'GPU-a5d1b7e9-3c6f-2840-9b1e-f7a4c0d2e653' },
      ],
    })
    expect(Number(inventory.diskGib)).toBeGreaterThan(0)
    expect(lines().find((line) => line.msg === 'detected GPUs')).toMatchObject({
      gpus: [
        '#0 RTX4090 24 GiB sm 8.9, driver 550.54.14, CUDA 12.4, pcie',
        '#1 RTX4090 24 GiB sm 8.9, driver 550.54.14, CUDA 12.4, pcie',
      ],
    })
  })

  it('declares simulated GPUs with plausible details, and the disk free where jobs run', async () => {
    const inventory = await describeNode({
      nodeName: 'sim',
      region: 'local',
      simulateGpus: parseSimulatedGpus('1xH100:80,1xMYSTERY:8'),
      workDir: join(dir, 'does-not-exist'),
      logger: silentLogger(),
    })
    expect(inventory).toMatchObject({
      simulated: true,
      country: '',
      diskGib: 0,
      bandwidthUpMbps: 0,
      gpus: [
        {
          model: 'H100',
          computeCapability: '9.0',
          driverVersion: '550.54.15',
          cudaVersion: '12.4',
          interconnect: 'sxm',
        },
        { model: 'MYSTERY', computeCapability: '', driverVersion: '', cudaVersion: '' },
      ],
    })
  })
})
