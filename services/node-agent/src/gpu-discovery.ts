import { execFile } from 'node:child_process'
import { normaliseGpuModel } from '@idlegrid/fleet-core'
import type { Logger } from 'pino'
import { type Interconnect, interconnectFor, parseCudaVersion, parseNvlinkStatus } from './gpu-details.js'

/**
 * Real GPU detection through nvidia-smi, which ships with every NVIDIA driver.
 * A machine without it (or without a working driver) simply has no GPUs: the
 * agent still starts and says why, so the owner can fix the driver or choose
 * --simulate-gpus on purpose.
 */
export interface DetectedGpu {
  index: number
  /** Marketplace model name, e.g. "RTX4090", "H100"; what customers ask for. */
  model: string
  /** The name as the driver reports it, e.g. "NVIDIA H100 80GB HBM3". */
  name: string
  vramMib: number
  uuid: string
  driverVersion: string
  computeCap: string
  /** Highest CUDA version the driver supports, e.g. "12.4"; "" when unknown. */
  cudaVersion: string
  interconnect: Interconnect
}

const QUERY_FIELDS = ['index', 'name', 'memory.total', 'uuid', 'driver_version', 'compute_cap']

export const nvidiaSmiArgs = (fields = QUERY_FIELDS) => [
  `--query-gpu=${fields.join(',')}`,
  '--format=csv,noheader,nounits',
]

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`; skips lines
 * it cannot read. `withComputeCap: false` reads the output of drivers older
 * than R510, which do not know the compute_cap field.
 */
export function parseNvidiaSmi(csv: string, { withComputeCap = true } = {}): DetectedGpu[] {
  const fixedAfterName = withComputeCap ? 4 : 3
  const gpus: DetectedGpu[] = []
  for (const line of csv.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const fields = line.split(',').map((field) => field.trim())
    if (fields.length < fixedAfterName + 2) continue
    // A name containing a comma would split in two: the first and the last fields are fixed.
    const [indexText = '', ...rest] = fields
    const [memoryText = '', uuid = '', driverVersion = '', computeCap = ''] = rest.slice(-fixedAfterName)
    const name = rest.slice(0, -fixedAfterName).join(', ')
    const index = Number(indexText)
    if (!/^\d+$/.test(indexText) || name === '') continue
    const model = normaliseGpuModel(name)
    gpus.push({
      index,
      model,
      name,
      vramMib: /^\d+$/.test(memoryText) ? Number(memoryText) : 0,
      uuid,
      driverVersion,
      computeCap: /^\d+\.\d+$/.test(computeCap) ? computeCap : '',
      cudaVersion: '',
      interconnect: interconnectFor(name, model, false),
    })
  }
  return gpus
}

export interface DetectGpusOptions {
  logger: Logger
  /** The executable to run; tests point this at a fake. */
  nvidiaSmi?: string
  timeoutMs?: number
}

/** Runs nvidia-smi and returns the GPUs it lists; never throws. */
export async function detectGpus({
  logger,
  nvidiaSmi = 'nvidia-smi',
  timeoutMs = 15_000,
}: DetectGpusOptions): Promise<DetectedGpu[]> {
  let run = await runNvidiaSmi(nvidiaSmi, nvidiaSmiArgs(), timeoutMs)
  let withComputeCap = true
  if (run.failure?.includes('compute_cap')) {
    withComputeCap = false
    run = await runNvidiaSmi(nvidiaSmi, nvidiaSmiArgs(QUERY_FIELDS.slice(0, -1)), timeoutMs)
  }
  if (run.missing) {
    logger.warn(
      { nvidiaSmi },
      'nvidia-smi not found on PATH: no NVIDIA GPUs detected. Install the NVIDIA driver, ' +
        'or pass --simulate-gpus to declare simulated GPUs for testing',
    )
    return []
  }
  if (run.failure !== undefined) {
    logger.warn(
      { nvidiaSmi, reason: run.failure },
      'nvidia-smi failed: no NVIDIA GPUs detected (is the driver loaded?)',
    )
    return []
  }
  const gpus = parseNvidiaSmi(run.stdout, { withComputeCap })
  if (gpus.length === 0) {
    logger.warn({ output: run.stdout.slice(0, 500) }, 'nvidia-smi listed no GPUs')
    return gpus
  }
  // Best effort: neither question is worth failing detection over.
  const [header, nvlink] = await Promise.all([
    runNvidiaSmi(nvidiaSmi, [], timeoutMs),
    runNvidiaSmi(nvidiaSmi, ['nvlink', '--status'], timeoutMs),
  ])
  const cudaVersion = header.failure === undefined ? parseCudaVersion(header.stdout) : ''
  const linked = nvlink.failure === undefined ? parseNvlinkStatus(nvlink.stdout) : new Set<number>()
  return gpus.map((gpu) => ({
    ...gpu,
    cudaVersion,
    interconnect: interconnectFor(gpu.name, gpu.model, linked.has(gpu.index)),
  }))
}

function runNvidiaSmi(file: string, args: string[], timeoutMs: number) {
  return new Promise<{ stdout: string; missing?: boolean; failure?: string }>((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (!error) resolve({ stdout })
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve({ stdout, missing: true })
      else resolve({ stdout, failure: `${stderr || stdout || error.message}`.trim() })
    })
  })
}
