import { freeGpus, gpuCount, gpuModel, maxPrice, minVram, nodeState, region } from './plugins/filters.js'
import { binPacking, price } from './plugins/scores.js'
import type { FilterPlugin, Profile, ScorePlugin } from './types.js'

/** Plugin registry: name → plugin, so profiles can be written as configuration. */
export const filterPlugins: Record<string, FilterPlugin> = Object.fromEntries(
  [nodeState, region, maxPrice, gpuModel, minVram, gpuCount, freeGpus].map((p) => [p.name, p]),
)
export const scorePlugins: Record<string, ScorePlugin> = Object.fromEntries(
  [price, binPacking].map((p) => [p.name, p]),
)

export interface ProfileConfig {
  name: string
  filters: string[]
  scores: Record<string, number>
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
  }
}

/**
 * Permanent reasons are checked before transient ones, so a job that could
 * never fit a node is told so rather than "busy".
 */
export const defaultProfile = buildProfile({
  name: 'default',
  filters: ['region', 'max_price', 'gpu_model', 'min_vram', 'gpu_count', 'node_state', 'free_gpus'],
  scores: { price: 2, bin_packing: 1 },
})
