import { simulatedGpuDetails } from '@idlegrid/node-agent'
import type { Register } from '@idlegrid/proto/registry'
import { jobSpecPayload, type PayloadOf } from '@idlegrid/queue'
import {
  type FleetNode,
  GPU_MODELS,
  type GpuModel,
  mulberry32,
  PRICE_SPREAD,
  REGIONS,
} from '../../fleet/fleet-spec.js'

/**
 * The seeded market of bench:placement: what each simulated node registers
 * with (from the fleet simulator's mix: consumer and data-centre cards,
 * 1–8 GPUs, four regions, prices around each model's reference), and a
 * stream of match-job payloads shaped like the gateway's. Every job fits
 * somewhere on an idle fleet, so each one should be placed.
 */

/** The Register a simulated node's stream opens with, as the node agent would send it. */
export function registrationOf(node: FleetNode): Register {
  return {
    inventory: {
      gpus: Array.from({ length: node.gpuCount }, (_, index) => ({
        index,
        model: node.model,
        vramMib: node.vramGib * 1024,
        uuid: `GPU-${node.name}-${index}`,
        ...simulatedGpuDetails(node.model),
      })),
      cpuCores: 8 * node.gpuCount,
      ramMib: String(32_768 * node.gpuCount),
      hostname: node.name,
      region: node.region,
      country: node.country,
      simulated: true,
    },
    pricePerGpuHourMicros: node.pricePerGpuHourMicros,
    agentVersion: 'bench',
  }
}

type Weighted<T> = readonly (readonly [T, number])[]

function pick<T>(random: () => number, choices: Weighted<T>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random() * total
  for (const [value, weight] of choices) {
    roll -= weight
    if (roll < 0) return value
  }
  return choices[choices.length - 1]![0]
}

/** Mostly small asks, as on a marketplace; 8-GPU asks fit the data-centre racks. */
const GPU_COUNTS: Weighted<number> = [
  [1, 0.55],
  [2, 0.25],
  [4, 0.12],
  [8, 0.08],
]
/** A ceiling for "any model" jobs: most cards, not the dearest H200s. */
const ANY_MODEL_CEILING_MICROS = 3_000_000

/**
 * Match requests with the customer's constraints: 60 % any model under a
 * price ceiling, 40 % one model (a data-centre one for 8 GPUs) at up to its
 * dearest asking price; a quarter restricted to one region; some of the
 * any-model asks want 40 GiB of VRAM or more.
 */
export function jobStream(seed: number): (jobId: string) => PayloadOf<'match-job'> {
  const random = mulberry32(seed)
  const names = (models: readonly GpuModel[]) => [...new Set(models.map((m) => m.model))]
  const anyModel = names(GPU_MODELS)
  // Consumer nodes with 8 GPUs are rare: an 8-GPU ask for one model asks for a data-centre card.
  const rackModel = names(GPU_MODELS.filter((m) => m.tier === 'datacentre'))
  return (jobId) => {
    const count = pick(random, GPU_COUNTS)
    const models = count >= 8 ? rackModel : anyModel
    const model = random() < 0.4 ? models[Math.floor(random() * models.length)]! : undefined
    const reference = model
      ? Math.max(...GPU_MODELS.filter((m) => m.model === model).map((m) => m.referenceMicros))
      : 0
    const region = random() < 0.25 ? REGIONS[Math.floor(random() * REGIONS.length)]!.region : undefined
    const bigVram = model === undefined && random() < 0.15
    const spec = jobSpecPayload({
      kind: 'training',
      command: ['python', 'train.py', '--epochs', '1'],
      gpus: { count, models: model ? [model] : [], minVramMib: bigVram ? 40 * 1024 : 0 },
      maxDurationS: 3600,
      maxPricePerGpuHourMicros: String(
        model ? Math.ceil(reference * (1 + PRICE_SPREAD)) : ANY_MODEL_CEILING_MICROS,
      ),
      regions: region ? [region] : [],
    })
    return { jobId, customerId: 'acct_bench', holdId: `hold_${jobId.slice('job_'.length)}`, spec }
  }
}
