import { availableParallelism, totalmem } from 'node:os'
import type { NodeInventory } from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import { type DetectedGpu, detectGpus } from './gpu-discovery.js'
import { type SimulatedGpuGroup, simulatedGpus } from './simulated-gpus.js'

/** What the agent tells the registry about the machine at every Register. */
export interface InventoryOptions {
  nodeName: string
  region: string
  /** When set, these GPUs are declared instead of asking nvidia-smi. */
  simulateGpus?: SimulatedGpuGroup[] | undefined
  logger: Logger
  detect?: (logger: Logger) => Promise<DetectedGpu[]>
}

export async function describeNode(options: InventoryOptions): Promise<NodeInventory> {
  const { nodeName, region, simulateGpus, logger } = options
  const base = {
    cpuCores: availableParallelism(),
    ramMib: Math.floor(totalmem() / (1024 * 1024)),
    hostname: nodeName,
    region,
  }
  if (simulateGpus) {
    const gpus = simulatedGpus(simulateGpus, nodeName)
    logger.info(
      { gpus: gpus.map(describeGpu) },
      'declaring simulated GPUs (jobs still run as real processes)',
    )
    return { ...base, gpus, simulated: true }
  }
  const detected = await (options.detect ?? ((log) => detectGpus({ logger: log })))(logger)
  const gpus = detected.map(({ index, model, vramMib, uuid }) => ({ index, model, vramMib, uuid }))
  if (detected.length > 0) {
    logger.info(
      { gpus: detected.map((gpu) => `${describeGpu(gpu)} driver ${gpu.driverVersion} sm ${gpu.computeCap}`) },
      'detected GPUs',
    )
  }
  return { ...base, gpus, simulated: false }
}

function describeGpu(gpu: { index?: number; model?: string; vramMib?: number }): string {
  return `#${gpu.index} ${gpu.model} ${Math.round((gpu.vramMib ?? 0) / 1024)} GiB`
}
