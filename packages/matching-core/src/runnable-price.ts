import { FleetIndex } from './fleet-index.js'
import { decide } from './framework.js'
import type { JobRequest, NodeView, Profile } from './types.js'

/**
 * The least max price per GPU-hour under which the job could ever run on
 * this fleet ("ever" as `Decision.unsatisfiable` means it: every node idle
 * and online), starting from `offered`, the price the platform would hold a
 * job to when its customer set none. `offered` itself when the job could
 * run under it; otherwise the cheapest node price above it that lets the job
 * run (a gang of two nodes in a region where only one node is that cheap
 * needs the second-cheapest node's price); undefined when no price would do.
 *
 * Raising the cap only adds nodes, so whether the job could run is monotone
 * in the price: a binary search over the fleet's distinct prices, a few
 * decisions even at 100,000 nodes, asked only when `offered` falls short.
 */
export function leastRunnablePrice(
  job: JobRequest,
  fleet: readonly NodeView[] | FleetIndex,
  profile: Profile,
  offered: bigint,
): bigint | undefined {
  if (offered <= 0n) throw new RangeError('offered must be a positive price')
  const index = fleet instanceof FleetIndex ? fleet : FleetIndex.from(fleet)
  const runs = (price: bigint) =>
    !decide({ ...job, maxPricePerGpuHour: price }, index, profile, 0).unsatisfiable
  if (runs(offered)) return offered
  const above = index.distinctPrices().filter((p) => p > offered)
  let [low, high] = [0, above.length - 1]
  let found: bigint | undefined
  while (low <= high) {
    const mid = (low + high) >> 1
    if (runs(above[mid]!)) {
      found = above[mid]
      high = mid - 1
    } else low = mid + 1
  }
  return found
}
