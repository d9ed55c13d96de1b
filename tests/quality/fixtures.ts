import type { SimJob, SimNode } from '../../scripts/bench/quality/types.js'

export const GB80 = 81_920
export const GB40 = 40_960

export function node(
  id: string,
  size: number,
  opts: Partial<SimNode> & { freeCount?: number } = {},
): SimNode {
  const { freeCount, ...rest } = opts
  return {
    id,
    providerId: `prov-${id}`,
    region: 'us-east',
    model: 'A100-SXM4-40GB',
    vramMib: GB40,
    size,
    pricePerGpuHour: 1_000_000n,
    free: Array.from({ length: size }, (_, g) => g).slice(size - (freeCount ?? size)),
    ...rest,
  }
}

let seq = 0
export function job(submit: number, duration: number, gpus: number, minVramMib = 0): SimJob {
  return { id: `job-${seq}`, seq: seq++, submit, duration, gpus, minVramMib }
}

/** Jobs numbered from 0 in the order given. */
export function jobs(
  ...list: [submit: number, duration: number, gpus: number, minVramMib?: number][]
): SimJob[] {
  seq = 0
  return list.map(([s, d, g, v]) => job(s, d, g, v))
}
