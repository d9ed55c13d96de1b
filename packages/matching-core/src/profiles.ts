import {
  freeGpus,
  gpuCount,
  gpuModel,
  minComputeCapability,
  minCudaVersion,
  minDriverVersion,
  minVram,
} from './plugins/gpu-filters.js'
import {
  country,
  excludedNode,
  excludedProvider,
  hoursWindow,
  interruptible,
  maxPrice,
  minReputation,
  nodeState,
  region,
} from './plugins/node-filters.js'
import { binPacking, fairness, price, regionProximity, reputation, warmImage } from './plugins/scores.js'
import type { FilterPlugin, Profile, ScorePlugin } from './types.js'

/** Plugin registry: name → plugin, so profiles can be written as configuration. */
export const filterPlugins: Record<string, FilterPlugin> = Object.fromEntries(
  [
    region,
    country,
    gpuModel,
    minVram,
    minComputeCapability,
    minCudaVersion,
    minDriverVersion,
    gpuCount,
    maxPrice,
    minReputation,
    interruptible,
    excludedProvider,
    excludedNode,
    nodeState,
    hoursWindow,
    freeGpus,
  ].map((p) => [p.name, p]),
)
export const scorePlugins: Record<string, ScorePlugin> = Object.fromEntries(
  [price, reputation, regionProximity, binPacking, fairness, warmImage].map((p) => [p.name, p]),
)

export interface ProfileConfig {
  name: string
  filters: string[]
  /** Score plugin name → weight. */
  scores: Record<string, number>
  minFeasibleNodesToScore?: number
  percentageOfNodesToScore?: number
}

export function buildProfile(config: ProfileConfig): Profile {
  return {
    name: config.name,
    filters: config.filters.map((name) => {
      const plugin = filterPlugins[name]
      if (!plugin) throw new Error(`unknown filter plugin "${name}"`)
      return plugin
    }),
    scores: Object.entries(config.scores).map(([name, weight]) => {
      const plugin = scorePlugins[name]
      if (!plugin) throw new Error(`unknown score plugin "${name}"`)
      return { plugin, weight }
    }),
    minFeasibleNodesToScore: config.minFeasibleNodesToScore ?? 10,
    percentageOfNodesToScore: config.percentageOfNodesToScore ?? 0,
  }
}

/**
 * Permanent reasons come before transient ones, so a job that could never
 * fit a node is told so rather than "busy"; the ones a FleetIndex group can
 * answer at once come first of all (see fleet-index.ts on counting).
 */
export const defaultProfile = buildProfile({
  name: 'default',
  filters: [
    'region',
    'country',
    'gpu_model',
    'min_vram',
    'compute_capability',
    'cuda_version',
    'driver_version',
    'gpu_count',
    'max_price',
    'min_reputation',
    'interruptible',
    'excluded_provider',
    'excluded_node',
    'node_state',
    'hours_window',
    'free_gpus',
  ],
  scores: { price: 3, bin_packing: 2, warm_image: 1, region_proximity: 1, reputation: 1, fairness: 1 },
})
