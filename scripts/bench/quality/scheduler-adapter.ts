/**
 * The only file that touches matching-core: it turns the simulator's nodes and
 * jobs into `NodeView`s and `JobRequest`s, asks `decide` with a profile, and
 * turns the answer back into a placement. If matching-core's API moves, this
 * is the file to change.
 *
 * The trace says nothing about images, regions wanted, reputation or driver
 * versions, so every job asks for none of them and every node has the same
 * reputation and versions: those filters pass everywhere, and the scores that
 * read them either skip (warm image, region proximity) or tie (reputation).
 * What differs between nodes is size, free GPUs, memory, price, region and
 * provider — what price, bin packing and fairness see.
 */
import {
  type Candidate,
  decide,
  defaultProfile,
  FleetIndex,
  type JobRequest,
  jobRequest,
  type NodeView,
  type Profile,
  scorePlugins,
} from '@idlegrid/matching-core'
import { gangNodeCount, isGang } from './feasibility.js'
import type { FleetView, Placement, Placer, SimJob, SimNode } from './types.js'

/** Score weights of a what-if profile, by plugin name (e.g. `{ price: 2, bin_packing: 1 }`). */
export type Weights = Record<string, number>

export const defaultWeights = (): Weights =>
  Object.fromEntries(defaultProfile.scores.map(({ plugin, weight }) => [plugin.name, weight]))

export const knownScorePlugins = (): string[] => Object.keys(scorePlugins)

/** A short column label: `{ price: 3, bin_packing: 4 }` → "p3·bp4". */
export const weightsLabel = (weights: Weights): string =>
  Object.entries(weights)
    .map(
      ([k, v]) =>
        `${k
          .split('_')
          .map((w) => w[0])
          .join('')}${v}`,
    )
    .join('·')

/** The default profile with other score weights: to ask what the default would need. */
export function profileWithWeights(weights: Weights): Profile {
  return {
    ...defaultProfile,
    name: weightsLabel(weights),
    scores: Object.entries(weights).map(([name, weight]) => {
      const plugin = scorePlugins[name]
      if (!plugin) throw new Error(`unknown score plugin "${name}"`)
      return { plugin, weight }
    }),
  }
}

/** How jobs larger than one node are placed by our placer. */
export const gangSupport =
  "matching-core's gang placement (JobRequest.nodes × gpuCount per node → Decision.placements: " +
  'distinct nodes, one region, all or nothing); first-fit and random place gangs under the same rule'

const COUNTRY: Record<string, string> = { 'us-east': 'US', 'eu-west': 'IE' }

function toView(n: SimNode): NodeView {
  return {
    id: n.id,
    providerId: n.providerId,
    region: n.region,
    country: COUNTRY[n.region] ?? '',
    state: n.free.length === n.size ? 'online' : 'busy',
    pricePerGpuHour: n.pricePerGpuHour,
    gpus: Array.from({ length: n.size }, (_, index) => ({
      index,
      model: n.model,
      vramMib: n.vramMib,
      computeCapability: 8.0,
      cudaVersion: '12.4',
      driverVersion: '550.54.15',
    })),
    freeGpuIndexes: [...n.free],
    reputation: 0.5,
    acceptsInterruptible: false,
    recentImages: [],
  }
}

/** `nodes` nodes with `gpuCount` GPUs each; the trace's gangs (16–64 GPUs) are whole 8-GPU nodes. */
function toRequest(job: SimJob, gpuCount: number, nodes: number): JobRequest {
  return jobRequest({ gpuCount, nodes, minVramMib: job.minVramMib })
}

const toPlacement = (cs: readonly Candidate[]): Placement =>
  cs.map((c) => ({ nodeId: c.nodeId, gpuIndexes: [...c.gpuIndexes] }))

/**
 * Our placer: `decide` with a matching-core profile (the default one unless
 * told otherwise) over a FleetIndex kept current the way the matcher keeps
 * its snapshot: a node whose free GPUs changed since the last decision is
 * upserted (the simulator replaces a node's `free` array on every change, so
 * a reference check finds them).
 */
export function matchingCorePlacer(profile: Profile = defaultProfile, name = 'idlegrid'): Placer {
  const index = new FleetIndex()
  const seen = new Map<string, readonly number[]>()
  const sync = (nodes: readonly SimNode[]) => {
    for (const n of nodes) {
      if (seen.get(n.id) === n.free) continue
      index.upsert(toView(n))
      seen.set(n.id, n.free)
    }
  }
  return {
    name,
    place(job: SimJob, fleet: FleetView) {
      sync(fleet.nodes)
      const request = isGang(job, fleet.maxNodeSize)
        ? toRequest(job, fleet.maxNodeSize, gangNodeCount(job, fleet.maxNodeSize))
        : toRequest(job, job.gpus, 1)
      const decision = decide(request, index, profile, 1)
      return decision.placements.length > 0 ? toPlacement(decision.placements) : undefined
    },
  }
}
