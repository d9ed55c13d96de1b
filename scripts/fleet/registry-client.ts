import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { RegistryServiceClient } from '@idlegrid/proto/registry'

/**
 * The registry as an internal caller (the gateway, matching) reaches it:
 * plain gRPC on the cluster network, no node credential. Used by the fleet
 * simulator and the registry benchmark to enrol nodes and reserve GPUs.
 */
export function registryClient(address: string): RegistryServiceClient {
  return createClient(loadProtos().idlegrid.registry.v1.RegistryService, address)
}

export interface Enrolment {
  nodeId: string
  /** `<node id>.<secret>`: the agent's credential, shown once. */
  token: string
}

/** Runs `task` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Enrols each node through EnrollNode, as the gateway does for a provider;
 * `onEnrolled` sees each as it completes. The first failure rejects (the
 * rest already in flight finish, no more start).
 */
export async function enrollNodes(
  client: RegistryServiceClient,
  nodes: readonly { providerId: string; name: string }[],
  options: { concurrency?: number; onEnrolled?: (index: number, enrolment: Enrolment) => void } = {},
): Promise<Enrolment[]> {
  let failed = false
  return mapLimit(nodes, options.concurrency ?? 16, async (node, index) => {
    if (failed) throw new Error('enrolment stopped after an earlier failure')
    try {
      const res = await callUnary(
        client,
        'enrollNode',
        { providerId: node.providerId, name: node.name },
        { deadlineMs: 10_000, peer: 'registry' },
      )
      const enrolment = { nodeId: res.nodeId, token: res.token }
      options.onEnrolled?.(index, enrolment)
      return enrolment
    } catch (err) {
      failed = true
      throw err
    }
  })
}
