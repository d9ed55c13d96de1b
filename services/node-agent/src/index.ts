export {
  AGENT_VERSION,
  type Agent,
  type AgentConfig,
  type AgentDeps,
  type AgentEvents,
  type CompletionReport,
  createAgent,
} from './agent.js'
export { type CliConfig, parseCommandLine } from './config.js'
export { readConfigFile } from './config-file.js'
export {
  type ContainerRun,
  type ContainerRuntimeChoice,
  type ContainerTool,
  containerRunArgs,
  NO_CONTAINER_RUNTIME,
} from './container.js'
export { parseCountry } from './country.js'
export { type NodeCredential, parseNodeToken } from './credential.js'
export {
  type Interconnect,
  interconnectFor,
  parseCudaVersion,
  parseNvlinkStatus,
  simulatedGpuDetails,
} from './gpu-details.js'
export { type DetectedGpu, detectGpus, parseNvidiaSmi } from './gpu-discovery.js'
export { parseGpuStats, simulatedGpuStats } from './gpu-stats.js'
export { microsToUsd, usdToMicros } from './price.js'
export { AGENT_RESTARTED } from './recovery.js'
export { parseSimulatedGpus, type SimulatedGpuGroup } from './simulated-gpus.js'
export { type TlsFiles, tlsMode } from './tls.js'
export { usage } from './usage.js'
