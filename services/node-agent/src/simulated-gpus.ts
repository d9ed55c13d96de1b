import { createHash } from 'node:crypto'
import type { Gpu } from '@idlegrid/proto/registry'

/**
 * `--simulate-gpus "2xRTX4090:24,1xA100:80"` declares GPUs a machine does not
 * have, so the whole marketplace can run on a laptop. Only the inventory is
 * simulated: assigned jobs still run as real processes.
 */
export interface SimulatedGpuGroup {
  count: number
  model: string
  vramGib: number
}

export const SIMULATE_GPUS_EXAMPLE = '2xRTX4090:24,1xA100:80'

const entryPattern = /^(?:(\d+)\s*[xX]\s*)?([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:\s*(\d+)$/
const MAX_SIMULATED_GPUS = 64

/** Parses the flag's text; throws an Error that quotes the bad entry and shows the expected shape. */
export function parseSimulatedGpus(spec: string): SimulatedGpuGroup[] {
  const entries = spec.split(',').map((entry) => entry.trim())
  if (entries.every((entry) => entry === ''))
    throw new Error(`is empty; expected e.g. "${SIMULATE_GPUS_EXAMPLE}"`)
  const groups: SimulatedGpuGroup[] = []
  for (const entry of entries) {
    const match = entryPattern.exec(entry)
    if (!match) {
      throw new Error(`entry "${entry}" must look like COUNTxMODEL:VRAM_GIB, e.g. "${SIMULATE_GPUS_EXAMPLE}"`)
    }
    const count = match[1] === undefined ? 1 : Number(match[1])
    const vramGib = Number(match[3])
    if (count < 1) throw new Error(`entry "${entry}" must declare at least 1 GPU`)
    if (vramGib < 1 || vramGib > 1024) throw new Error(`entry "${entry}" must have 1 to 1024 GiB of VRAM`)
    groups.push({ count, model: (match[2] ?? '').toUpperCase(), vramGib })
  }
  const total = groups.reduce((sum, group) => sum + group.count, 0)
  if (total > MAX_SIMULATED_GPUS)
    throw new Error(`declares ${total} GPUs; at most ${MAX_SIMULATED_GPUS} per node`)
  return groups
}

/**
 * Expands groups into GPUs numbered from 0 in declaration order. UUIDs are
 * derived from the node name so they are stable across restarts of the same
 * node and distinct between nodes.
 */
export function simulatedGpus(groups: SimulatedGpuGroup[], nodeName: string): Gpu[] {
  const gpus: Gpu[] = []
  for (const group of groups) {
    for (let i = 0; i < group.count; i++) {
      const index = gpus.length
      gpus.push({
        index,
        model: group.model,
        vramMib: group.vramGib * 1024,
        uuid: simulatedUuid(nodeName, index),
      })
    }
  }
  return gpus
}

function simulatedUuid(nodeName: string, index: number): string {
  const hex = createHash('sha256').update(`${nodeName}/${index}`).digest('hex')
  return `GPU-sim-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
