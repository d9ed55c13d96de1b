import type { FilterPlugin, JobRequest, NodeView, Rejection } from '../types.js'

const reject = (reason: string, permanent: boolean): Rejection => ({ reason, permanent })

/** The GPUs of a node this job could use (model and memory), free or not. */
export const suitableGpus = (job: JobRequest, node: NodeView, accepts: (model: string) => boolean) =>
  node.gpus.filter((g) => accepts(g.model) && g.vramMib >= job.minVramMib)

/** Only online (idle or partly busy) nodes take work; the reason names the state that keeps a node out. */
export const nodeState: FilterPlugin = {
  name: 'node_state',
  filter: (_job, node) =>
    node.state === 'online' || node.state === 'busy' ? undefined : reject(`node_${node.state}`, false),
}

export const region: FilterPlugin = {
  name: 'region',
  filter: (job, node) =>
    job.region === '' || job.region === node.region ? undefined : reject('region', true),
}

export const maxPrice: FilterPlugin = {
  name: 'max_price',
  filter: (job, node) =>
    job.maxPricePerGpuHour === 0n || node.pricePerGpuHour <= job.maxPricePerGpuHour
      ? undefined
      : reject('over_max_price', true),
}

export const gpuModel: FilterPlugin = {
  name: 'gpu_model',
  filter: (_job, node, state) =>
    node.gpus.some((g) => state.acceptsModel(g.model)) ? undefined : reject('gpu_model', true),
}

export const minVram: FilterPlugin = {
  name: 'min_vram',
  filter: (job, node, state) =>
    node.gpus.some((g) => state.acceptsModel(g.model) && g.vramMib >= job.minVramMib)
      ? undefined
      : reject('too_little_vram', true),
}

/** Enough suitable GPUs on the node at all (ignoring what is busy). */
export const gpuCount: FilterPlugin = {
  name: 'gpu_count',
  filter: (job, node, state) =>
    suitableGpus(job, node, state.acceptsModel).length >= job.gpuCount
      ? undefined
      : reject('too_few_gpus', true),
}

/** Enough of those GPUs free right now. */
export const freeGpus: FilterPlugin = {
  name: 'free_gpus',
  filter: (job, node, state) => {
    const free = new Set(node.freeGpuIndexes)
    const available = suitableGpus(job, node, state.acceptsModel).filter((g) => free.has(g.index)).length
    return available >= job.gpuCount ? undefined : reject('too_few_free_gpus', false)
  },
}
