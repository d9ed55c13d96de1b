import { once } from 'node:events'
import type { AgentMessage__Output, Assignment } from '@idlegrid/proto/registry'
import { type Agent, type AgentConfig, type AgentDeps, createAgent } from '../../src/agent.js'
import { parseSimulatedGpus } from '../../src/simulated-gpus.js'
import { captureLogger } from './capture-logger.js'
import { type FakeRegistry, type FakeRegistryOptions, startFakeRegistry } from './fake-registry.js'
import { nodeToken } from './tokens.js'

/** A real agent connected to a fake registry over real gRPC, with its log lines readable. */
export interface AgentPair {
  registry: FakeRegistry
  agent: Agent
  nodeId: string
  token: string
  logs: ReturnType<typeof captureLogger>['lines']
}

const started: { pair: AgentPair; ownsRegistry: boolean }[] = []

export async function startAgentPair(
  options: {
    registry?: FakeRegistryOptions | FakeRegistry
    config?: Partial<AgentConfig>
    deps?: Partial<AgentDeps>
    credential?: { nodeId: string; token: string }
    waitForRegistration?: boolean
    /** Dial the registry by this name instead of 127.0.0.1 (TLS checks the name). */
    host?: string
  } = {},
): Promise<AgentPair> {
  const { nodeId, token } = options.credential ?? nodeToken()
  const registry =
    options.registry && 'address' in options.registry
      ? options.registry
      : await startFakeRegistry({ heartbeatIntervalMs: 50, ...options.registry })
  const { logger, lines } = captureLogger()
  const agent = createAgent(
    {
      registry: options.host ? registry.address.replace('127.0.0.1', options.host) : registry.address,
      token,
      region: 'eu-test',
      pricePerGpuHourMicros: '450000',
      nodeName: 'rig-test',
      simulateGpus: parseSimulatedGpus('2xRTX4090:24'),
      progressIntervalMs: 50,
      killGraceMs: 300,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      containerRuntime: 'none',
      ...options.config,
    },
    { logger, ...options.deps },
  )
  const pair = { registry, agent, nodeId, token, logs: lines }
  started.push({ pair, ownsRegistry: registry !== options.registry })
  const registered = once(agent.events, 'registered')
  await agent.start()
  if (options.waitForRegistration ?? true) await registered
  return pair
}

/** Stops every agent the test started, and the registries started for them. */
export async function stopAgentPairs(): Promise<void> {
  for (const { pair, ownsRegistry } of started.splice(0)) {
    await pair.agent.stop()
    if (ownsRegistry) await pair.registry.close()
  }
}

export const nodeJob = (
  assignmentId: string,
  script: string,
  { gpuIndexes = [0], maxDurationS = 30, epoch = '1', image = '' } = {},
): Assignment => ({
  assignmentId,
  jobId: `job_${assignmentId}`,
  gpuIndexes,
  spec: { kind: 'training', command: [process.execPath, '-e', script], env: {}, maxDurationS, image },
  pricePerGpuHourMicros: '450000',
  epoch,
})

/** Matches a message of one kind about one assignment. */
export const about =
  (body: 'ack' | 'progress' | 'completion', assignmentId: string) => (message: AgentMessage__Output) =>
    message.body === body && message[body]?.assignmentId === assignmentId
