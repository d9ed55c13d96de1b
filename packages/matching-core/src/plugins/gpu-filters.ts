import type {
  CycleState,
  FilterPlugin,
  GpuView,
  GroupVerdict,
  JobRequest,
  NodeView,
  Rejection,
  ShapeView,
} from '../types.js'
import { meetsVersion } from '../versions.js'

/**
 * The GPU asks form a chain: model → VRAM → compute capability → CUDA →
 * driver. Each filter asks "does some GPU pass every step up to mine?", so a
 * node is blamed on the first step no GPU gets past. A GPU is suitable only
 * when it passes all five together.
 */
const MODEL = 1
const VRAM = 2
const COMPUTE = 3
const CUDA = 4
const DRIVER = 5

const reject = (reason: string, permanent: boolean): Rejection => ({ reason, permanent })

function gpuPasses(job: JobRequest, gpu: GpuView, state: CycleState, upTo: number): boolean {
  if (!state.acceptsModel(gpu.model)) return false
  if (upTo >= VRAM && gpu.vramMib < job.minVramMib) return false
  if (upTo >= COMPUTE && job.minComputeCapability > 0 && gpu.computeCapability < job.minComputeCapability)
    return false
  if (upTo >= CUDA && !meetsVersion(gpu.cudaVersion, job.minCudaVersion)) return false
  return upTo < DRIVER || meetsVersion(gpu.driverVersion, job.minDriverVersion)
}

export const gpuSuits = (job: JobRequest, gpu: GpuView, state: CycleState): boolean =>
  gpuPasses(job, gpu, state, DRIVER)

/** Two GPUs of one spec: the second is judged as the first was (nodes usually carry one spec). */
const sameSpec = (a: GpuView, b: GpuView) =>
  a.model === b.model &&
  a.vramMib === b.vramMib &&
  a.computeCapability === b.computeCapability &&
  a.cudaVersion === b.cudaVersion &&
  a.driverVersion === b.driverVersion

/** Whether GPUs of a node pass every step up to `upTo`, one by one (`at(i)`), reusing the verdict for a repeated spec. */
function countPassing(
  job: JobRequest,
  state: CycleState,
  upTo: number,
  length: number,
  at: (i: number) => GpuView | undefined,
  enough: number,
): number {
  let n = 0
  let last: GpuView | undefined
  let lastPasses = false
  for (let i = 0; i < length && n < enough; i++) {
    const gpu = at(i)
    if (!gpu) continue
    if (!last || !sameSpec(gpu, last)) lastPasses = gpuPasses(job, gpu, state, upTo)
    last = gpu
    if (lastPasses) n++
  }
  return n
}

/** A GPU by its index (usually its position). */
const gpuAt = (node: NodeView, index: number) => {
  const g = node.gpus[index]
  return g?.index === index ? g : node.gpus.find((x) => x.index === index)
}

/** How many of a node's GPUs suit the job (`freeOnly`: only those free now), counting no further than `enough`. */
export function suitableCount(
  job: JobRequest,
  node: NodeView,
  state: CycleState,
  freeOnly: boolean,
  enough = Number.POSITIVE_INFINITY,
): number {
  return freeOnly
    ? countPassing(
        job,
        state,
        DRIVER,
        node.freeGpuIndexes.length,
        (i) => gpuAt(node, node.freeGpuIndexes[i]!),
        enough,
      )
    : countPassing(job, state, DRIVER, node.gpus.length, (i) => node.gpus[i], enough)
}

/** GPUs per node of this shape whose model (and VRAM) suit the job (exact). */
function shapeMatch(job: JobRequest, shape: ShapeView, state: CycleState, vram = true): number {
  let n = 0
  for (const g of shape.gpus)
    if (state.acceptsModel(g.model) && (!vram || g.vramMib >= job.minVramMib)) n += g.count
  return n
}

/** Every GPU of the shape meets the job's capability/CUDA/driver minimums up to `upTo` (by the bounds). */
function boundsAllMeet(job: JobRequest, shape: ShapeView, upTo: number): boolean {
  const b = shape.bounds
  if (job.minComputeCapability > 0 && b.minComputeCapability < job.minComputeCapability) return false
  if (upTo >= CUDA && !meetsVersion(b.minCuda, job.minCudaVersion)) return false
  return upTo < DRIVER || meetsVersion(b.minDriver, job.minDriverVersion)
}

/** No GPU of the shape meets them (by the bounds). */
function boundsNoneMeet(job: JobRequest, shape: ShapeView, upTo: number): boolean {
  const b = shape.bounds
  if (job.minComputeCapability > 0 && b.maxComputeCapability < job.minComputeCapability) return true
  if (upTo >= CUDA && !meetsVersion(b.maxCuda, job.minCudaVersion)) return true
  return upTo >= DRIVER && !meetsVersion(b.maxDriver, job.minDriverVersion)
}

/** Every GPU of every node of the shape suits the job: then free GPUs are suitable GPUs. */
export const shapeAllSuitable = (job: JobRequest, shape: ShapeView, state: CycleState): boolean =>
  shapeMatch(job, shape, state) === shape.gpuCount && boundsAllMeet(job, shape, DRIVER)

function chainFilter(name: string, reason: string, step: number, skip: (job: JobRequest) => boolean) {
  const rejection = reject(reason, true)
  const plugin: FilterPlugin = {
    name,
    skip,
    filter: (job, node, state) =>
      countPassing(job, state, step, node.gpus.length, (i) => node.gpus[i], 1) > 0 ? undefined : rejection,
    filterShape: (job, shape, state): GroupVerdict => {
      if (shapeMatch(job, shape, state, step >= VRAM) === 0) return rejection
      if (step <= VRAM) return 'pass'
      if (boundsNoneMeet(job, shape, step)) return rejection
      return boundsAllMeet(job, shape, step) ? 'pass' : undefined
    },
  }
  return plugin
}

export const gpuModel = chainFilter('gpu_model', 'gpu_model', MODEL, (job) => job.models.length === 0)
export const minVram = chainFilter('min_vram', 'too_little_vram', VRAM, (job) => job.minVramMib <= 0)
export const minComputeCapability = chainFilter(
  'compute_capability',
  'compute_capability',
  COMPUTE,
  (job) => job.minComputeCapability <= 0,
)
export const minCudaVersion = chainFilter(
  'cuda_version',
  'cuda_version',
  CUDA,
  (j) => j.minCudaVersion === '',
)
export const minDriverVersion = chainFilter(
  'driver_version',
  'driver_version',
  DRIVER,
  (job) => job.minDriverVersion === '',
)

const tooFewGpus = reject('too_few_gpus', true)

/** Enough suitable GPUs on the node at all, busy or not. */
export const gpuCount: FilterPlugin = {
  name: 'gpu_count',
  filter: (job, node, state) =>
    suitableCount(job, node, state, false, job.gpuCount) >= job.gpuCount ? undefined : tooFewGpus,
  filterShape: (job, shape, state) => {
    if (shapeMatch(job, shape, state) < job.gpuCount) return tooFewGpus
    if (boundsAllMeet(job, shape, DRIVER)) return 'pass'
    return boundsNoneMeet(job, shape, DRIVER) && job.gpuCount > 0 ? tooFewGpus : undefined
  },
}

const tooFewFree = reject('too_few_free_gpus', false)

/**
 * Enough of those GPUs free right now. A FleetIndex never offers a node with
 * fewer free GPUs than asked (it counts those without visiting them), so this
 * runs per node only where some GPUs might not suit.
 */
export const freeGpus: FilterPlugin = {
  name: 'free_gpus',
  filter: (job, node, state) =>
    suitableCount(job, node, state, true, job.gpuCount) >= job.gpuCount ? undefined : tooFewFree,
}

/** The lowest-numbered free GPUs that suit the job: deterministic, easy to read in logs. */
export function pickGpus(job: JobRequest, node: NodeView, state: CycleState): number[] {
  const picked: number[] = []
  for (const gpu of node.gpus)
    if (node.freeGpuIndexes.includes(gpu.index) && gpuSuits(job, gpu, state)) picked.push(gpu.index)
  return picked.sort((a, b) => a - b).slice(0, job.gpuCount)
}
