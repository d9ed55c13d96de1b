/**
 * A simulated fleet of GPU nodes, generated from a seed: the same seed always
 * gives the same fleet. Pure: no IO, no clock, no Math.random. Each entry can
 * configure a real node agent (`simulateGpus` is `gpus` parsed by the agent's
 * parseSimulatedGpus).
 *
 * The mix follows the market: consumer cards (RTX 3090/4090, L4, A10) in
 * homes and small shops with 1-4 GPUs, data-centre cards (A100, H100, H200)
 * in racks of 4 or 8; a few data-centre providers own many nodes each, and
 * most home providers own one or two.
 */

export type GpuTier = 'consumer' | 'datacentre'

export interface GpuModel {
  model: string
  vramGib: number
  tier: GpuTier
  /** Reference asking price per GPU-hour in micros of USD; nodes vary around it. */
  referenceMicros: number
}

export const GPU_MODELS: readonly GpuModel[] = [
  { model: 'RTX3090', vramGib: 24, tier: 'consumer', referenceMicros: 250_000 },
  { model: 'RTX4090', vramGib: 24, tier: 'consumer', referenceMicros: 450_000 },
  { model: 'L4', vramGib: 24, tier: 'consumer', referenceMicros: 500_000 },
  { model: 'A10', vramGib: 24, tier: 'consumer', referenceMicros: 600_000 },
  { model: 'A100', vramGib: 40, tier: 'datacentre', referenceMicros: 1_300_000 },
  { model: 'A100', vramGib: 80, tier: 'datacentre', referenceMicros: 1_300_000 },
  { model: 'H100', vramGib: 80, tier: 'datacentre', referenceMicros: 2_500_000 },
  { model: 'H200', vramGib: 141, tier: 'datacentre', referenceMicros: 3_200_000 },
]

/** Prices vary by at most this fraction either side of the model's reference. */
export const PRICE_SPREAD = 0.3

export const REGIONS: readonly { region: string; countries: readonly string[] }[] = [
  { region: 'eu-west', countries: ['NL', 'FR', 'DE'] },
  { region: 'us-east', countries: ['US'] },
  { region: 'us-west', countries: ['US'] },
  { region: 'ap-south', countries: ['IN', 'SG'] },
]

export interface FleetNode {
  /** Unique within the fleet and across seeds: enrolment name and the agent's hostname. */
  name: string
  providerId: string
  region: string
  /** ISO 3166-1 alpha-2. */
  country: string
  /** The agent's --simulate-gpus text, e.g. `2xRTX4090:24`. */
  gpus: string
  model: string
  vramGib: number
  gpuCount: number
  tier: GpuTier
  /** Asking price per GPU-hour, integer micros of USD as a decimal string (the agent's format). */
  pricePerGpuHourMicros: string
}

export interface FleetOptions {
  nodes: number
  seed: number
  /** Provider ids start with it; 1-40 of A-Z a-z 0-9 _ -. */
  providerPrefix?: string
}

export const MAX_FLEET_NODES = 100_000
const DEFAULT_PROVIDER_PREFIX = 'prov_sim'

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
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

const model = (name: string, vramGib: number): GpuModel =>
  GPU_MODELS.find((m) => m.model === name && m.vramGib === vramGib)!

/** Share of nodes that are data-centre nodes. */
const DATACENTRE_SHARE = 0.3
const CONSUMER_MODELS: Weighted<GpuModel> = [
  [model('RTX3090', 24), 0.3],
  [model('RTX4090', 24), 0.35],
  [model('L4', 24), 0.15],
  [model('A10', 24), 0.2],
]
const DATACENTRE_MODELS: Weighted<GpuModel> = [
  [model('A100', 40), 0.25],
  [model('A100', 80), 0.3],
  [model('H100', 80), 0.3],
  [model('H200', 141), 0.15],
]
const CONSUMER_GPU_COUNTS: Weighted<number> = [
  [1, 0.35],
  [2, 0.3],
  [3, 0.1],
  [4, 0.2],
  [6, 0.03],
  [8, 0.02],
]
const DATACENTRE_GPU_COUNTS: Weighted<number> = [
  [4, 0.4],
  [8, 0.6],
]
const REGION_WEIGHTS: Weighted<(typeof REGIONS)[number]> = [
  [REGIONS[0]!, 0.35],
  [REGIONS[1]!, 0.25],
  [REGIONS[2]!, 0.2],
  [REGIONS[3]!, 0.2],
]

/** Nodes per provider, on average: data centres own racks, homes own a rig or two. */
const NODES_PER_DATACENTRE_PROVIDER = 20
const NODES_PER_HOME_PROVIDER = 1.5

/**
 * A provider index skewed towards the first ones: u^skew puts most of the
 * mass near 0, so provider 0 owns many nodes and the tail owns one each.
 */
const skewedIndex = (random: () => number, size: number, skew: number) =>
  Math.min(size - 1, Math.floor(size * random() ** skew))

export function generateFleet(options: FleetOptions): FleetNode[] {
  const { nodes, seed } = options
  const prefix = options.providerPrefix ?? DEFAULT_PROVIDER_PREFIX
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_FLEET_NODES)
    throw new RangeError(`nodes must be an integer from 1 to ${MAX_FLEET_NODES}, got ${nodes}`)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`seed must be an integer from 0 to ${0xffffffff}, got ${seed}`)
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix))
    throw new RangeError(`provider prefix must be 1-40 of A-Z a-z 0-9 _ -, got "${prefix}"`)

  const random = mulberry32(seed)
  const datacentreProviders = Math.max(
    1,
    Math.round((nodes * DATACENTRE_SHARE) / NODES_PER_DATACENTRE_PROVIDER),
  )
  const homeProviders = Math.max(1, Math.round((nodes * (1 - DATACENTRE_SHARE)) / NODES_PER_HOME_PROVIDER))
  const width = String(nodes - 1).length
  const fleet: FleetNode[] = []
  for (let i = 0; i < nodes; i++) {
    const datacentre = random() < DATACENTRE_SHARE
    const gpu = pick(random, datacentre ? DATACENTRE_MODELS : CONSUMER_MODELS)
    const gpuCount = pick(random, datacentre ? DATACENTRE_GPU_COUNTS : CONSUMER_GPU_COUNTS)
    const place = pick(random, REGION_WEIGHTS)
    const country = place.countries[Math.floor(random() * place.countries.length)]!
    const factor = 1 - PRICE_SPREAD + 2 * PRICE_SPREAD * random()
    // Whole tenths of a cent: the spread's ends are themselves multiples of 1000 micros, so rounding stays inside.
    const price = Math.round((gpu.referenceMicros * factor) / 1000) * 1000
    const providerId = datacentre
      ? `${prefix}-dc-${String(skewedIndex(random, datacentreProviders, 2)).padStart(3, '0')}`
      : `${prefix}-home-${String(skewedIndex(random, homeProviders, 1.5)).padStart(5, '0')}`
    fleet.push({
      name: `sim-s${seed}-${String(i).padStart(width, '0')}-${gpu.model.toLowerCase()}`,
      providerId,
      region: place.region,
      country,
      gpus: `${gpuCount}x${gpu.model}:${gpu.vramGib}`,
      model: gpu.model,
      vramGib: gpu.vramGib,
      gpuCount,
      tier: gpu.tier,
      pricePerGpuHourMicros: String(price),
    })
  }
  return fleet
}

export interface FleetSummary {
  nodes: number
  gpus: number
  providers: number
  /** `A100:80` → GPUs of that model. */
  gpusByModel: Record<string, number>
  nodesByRegion: Record<string, number>
  /** The provider owning the most nodes, and how many. */
  largestProvider: { providerId: string; nodes: number }
}

export function summariseFleet(fleet: readonly FleetNode[]): FleetSummary {
  const gpusByModel: Record<string, number> = {}
  const nodesByRegion: Record<string, number> = {}
  const byProvider = new Map<string, number>()
  let gpus = 0
  for (const node of fleet) {
    gpus += node.gpuCount
    const key = `${node.model}:${node.vramGib}`
    gpusByModel[key] = (gpusByModel[key] ?? 0) + node.gpuCount
    nodesByRegion[node.region] = (nodesByRegion[node.region] ?? 0) + 1
    byProvider.set(node.providerId, (byProvider.get(node.providerId) ?? 0) + 1)
  }
  let largestProvider = { providerId: '', nodes: 0 }
  for (const [providerId, count] of byProvider)
    if (count > largestProvider.nodes) largestProvider = { providerId, nodes: count }
  return {
    nodes: fleet.length,
    gpus,
    providers: byProvider.size,
    gpusByModel,
    nodesByRegion,
    largestProvider,
  }
}
