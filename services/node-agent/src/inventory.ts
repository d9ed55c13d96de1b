import { statfs } from 'node:fs/promises'
import { availableParallelism, totalmem } from 'node:os'
import type { Gpu, NodeInventory } from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import { simulatedGpuDetails } from './gpu-details.js'
import { type DetectedGpu, detectGpus } from './gpu-discovery.js'
import { type SimulatedGpuGroup, simulatedGpus } from './simulated-gpus.js'

/** What the agent tells the registry about the machine at every Register. */
export interface InventoryOptions {
  nodeName: string
  region: string
  /** ISO 3166-1 alpha-2; "" when not declared. */
  country?: string | undefined
  bandwidthUpMbps?: number | undefined
  bandwidthDownMbps?: number | undefined
  /** When set, these GPUs are declared instead of asking nvidia-smi. */
  simulateGpus?: SimulatedGpuGroup[] | undefined
  /** Where jobs run; its free space is the disk customers get. */
  workDir?: string | undefined
  logger: Logger
  detect?: (logger: Logger) => Promise<DetectedGpu[]>
}

const GIB = 1024 ** 3

/** The machine has no GPU to offer: the registry would refuse it, so the agent does not start. */
export class NoGpusError extends Error {
  constructor() {
    super(
      'no GPU to offer: nvidia-smi lists none on this machine. Install the NVIDIA driver ' +
        '(nvidia-smi must list your GPUs) and start the agent again, or pass --simulate-gpus ' +
        'to try the agent without GPUs',
    )
  }
}

/** Free space for non-root users of the file system holding `dir`, in whole GiB; 0 when unknown. */
export async function freeDiskGib(dir: string): Promise<number> {
  try {
    const stats = await statfs(dir)
    return Math.floor((stats.bavail * stats.bsize) / GIB)
  } catch {
    return 0
  }
}

export async function describeNode(options: InventoryOptions): Promise<NodeInventory> {
  const { nodeName, region, simulateGpus, logger } = options
  const base = {
    cpuCores: availableParallelism(),
    ramMib: Math.floor(totalmem() / (1024 * 1024)),
    hostname: nodeName,
    region,
    country: options.country ?? '',
    diskGib: await freeDiskGib(options.workDir ?? process.cwd()),
    bandwidthUpMbps: options.bandwidthUpMbps ?? 0,
    bandwidthDownMbps: options.bandwidthDownMbps ?? 0,
  }
  if (simulateGpus) {
    const gpus: Gpu[] = simulatedGpus(simulateGpus, nodeName).map((gpu) => ({
      ...gpu,
      ...simulatedGpuDetails(gpu.model ?? ''),
    }))
    logger.info(
      { gpus: gpus.map(describeGpu) },
      'declaring simulated GPUs (jobs still run as real processes)',
    )
    return { ...base, gpus, simulated: true }
  }
  const detected = await (options.detect ?? ((log) => detectGpus({ logger: log })))(logger)
  const gpus: Gpu[] = detected.map((gpu) => ({
    index: gpu.index,
    model: gpu.model,
    vramMib: gpu.vramMib,
    uuid: gpu.uuid,
    computeCapability: gpu.computeCap,
    driverVersion: gpu.driverVersion,
    cudaVersion: gpu.cudaVersion,
    interconnect: gpu.interconnect,
  }))
  if (gpus.length > 0) logger.info({ gpus: gpus.map(describeGpu) }, 'detected GPUs')
  return { ...base, gpus, simulated: false }
}

function describeGpu(gpu: Gpu): string {
  const details = [
    gpu.computeCapability && `sm ${gpu.computeCapability}`,
    gpu.driverVersion && `driver ${gpu.driverVersion}`,
    gpu.cudaVersion && `CUDA ${gpu.cudaVersion}`,
    gpu.interconnect,
  ].filter(Boolean)
  return `#${gpu.index} ${gpu.model} ${Math.round((gpu.vramMib ?? 0) / 1024)} GiB ${details.join(', ')}`.trim()
}
