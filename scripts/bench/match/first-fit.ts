import { type JobRequest, meetsVersion, type NodeView } from '@idlegrid/matching-core'

export interface Fit {
  nodeId: string
  gpuIndexes: number[]
}

/** The suitable free GPUs of a node, when it passes the job's node-wide asks and has enough; else undefined. */
function fits(job: JobRequest, node: NodeView): number[] | undefined {
  if (node.state !== 'online' && node.state !== 'busy') return undefined
  if (node.freeGpuIndexes.length < job.gpuCount) return undefined
  if (job.regions.length > 0 && !job.regions.includes(node.region)) return undefined
  if (job.excludedRegions.includes(node.region)) return undefined
  if (job.countries.length > 0 && !job.countries.includes(node.country)) return undefined
  if (job.excludedCountries.includes(node.country)) return undefined
  if (job.maxPricePerGpuHour > 0n && node.pricePerGpuHour > job.maxPricePerGpuHour) return undefined
  if (node.reputation < job.minReputation) return undefined
  if (job.interruptible && !node.acceptsInterruptible) return undefined
  if (job.excludedProviders.includes(node.providerId)) return undefined
  const picked: number[] = []
  for (const g of node.gpus) {
    if (picked.length === job.gpuCount) break
    if (!node.freeGpuIndexes.includes(g.index)) continue
    if (job.models.length > 0 && !job.models.includes(g.model)) continue
    if (g.vramMib < job.minVramMib) continue
    if (job.minComputeCapability > 0 && g.computeCapability < job.minComputeCapability) continue
    if (!meetsVersion(g.cudaVersion, job.minCudaVersion)) continue
    if (!meetsVersion(g.driverVersion, job.minDriverVersion)) continue
    picked.push(g.index)
  }
  return picked.length === job.gpuCount ? picked : undefined
}

/**
 * The naive baseline: walk the array in order and take the first node that
 * fits (for a gang, the first `nodes` that fit in one region, and one
 * provider when asked). The same hard constraints as the real matcher; no
 * index, no scoring, no explanation. It stops at the first fit, so it is
 * fast for easy jobs and slow for jobs that fit rarely or nowhere.
 */
export function firstFit(job: JobRequest, nodes: readonly NodeView[]): Fit[] {
  const want = Math.max(1, job.nodes)
  const buckets = new Map<string, Fit[]>()
  for (const node of nodes) {
    const gpuIndexes = fits(job, node)
    if (!gpuIndexes) continue
    if (want === 1) return [{ nodeId: node.id, gpuIndexes }]
    const key = job.sameProvider ? `${node.region}/${node.providerId}` : node.region
    const bucket = buckets.get(key) ?? []
    bucket.push({ nodeId: node.id, gpuIndexes })
    buckets.set(key, bucket)
    if (bucket.length === want) return bucket
  }
  return []
}
