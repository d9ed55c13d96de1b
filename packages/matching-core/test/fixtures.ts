import { type GpuView, type JobRequest, jobRequest, type NodeView } from '../src/index.js'

export const gpu = (index: number, over: Partial<GpuView> = {}): GpuView => ({
  index,
  model: 'RTX4090',
  vramMib: 24_576,
  computeCapability: 8.9,
  cudaVersion: '12.4',
  driverVersion: '550.54.15',
  ...over,
})

/** A 4 × RTX4090 node in eu-west/IE, idle, 0.45 USD/GPU-hour. */
export const node = (id: string, over: Partial<NodeView> = {}): NodeView => ({
  id,
  providerId: 'prov',
  region: 'eu-west',
  country: 'IE',
  state: 'online',
  pricePerGpuHour: 450_000n,
  gpus: [0, 1, 2, 3].map((i) => gpu(i)),
  freeGpuIndexes: [0, 1, 2, 3],
  reputation: 0.5,
  acceptsInterruptible: true,
  recentImages: [],
  ...over,
})

/** One GPU, anywhere, any model, no ceiling. */
export const job = (over: Partial<JobRequest> = {}): JobRequest => jobRequest(over)
