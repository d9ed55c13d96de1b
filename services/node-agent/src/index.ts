export {
  AGENT_VERSION,
  type Agent,
  type AgentConfig,
  type AgentDeps,
  type AgentEvents,
  type CompletionReport,
  createAgent,
} from './agent.js'
export { type CliConfig, parseCommandLine, usage } from './config.js'
export { type DetectedGpu, detectGpus, normaliseGpuModel, parseNvidiaSmi } from './gpu-discovery.js'
export { microsToUsd, usdToMicros } from './price.js'
export { parseSimulatedGpus, type SimulatedGpuGroup } from './simulated-gpus.js'
