import { callUnary, createClient, grpc } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import type { ControlMessage__Output } from '@idlegrid/proto/registry'

type RegistryClient = InstanceType<
  ReturnType<typeof loadProtos>['idlegrid']['registry']['v1']['RegistryService']
>

/**
 * A bare agent on a real stream: enrolled, registered with the GPUs given,
 * acknowledging every assignment and never finishing it, so the GPUs it is
 * given stay taken. For load and contention tests where running processes
 * would only add noise.
 */
export async function connectRawAgent(
  client: RegistryClient,
  node: {
    provider: string
    name: string
    gpus: { model: string; vramMib: number }[]
    pricePerGpuHourMicros: string
    region: string
  },
) {
  const { nodeId, token } = await callUnary(client, 'enrollNode', {
    providerId: node.provider,
    name: node.name,
  })
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${token}`)
  const stream = client.connect(metadata)
  const assignments: string[] = []
  const registered = new Promise<void>((resolve, reject) => {
    stream.on('data', (m: ControlMessage__Output) => {
      if (m.body === 'registered') resolve()
      if (m.body === 'assignment' && m.assignment) {
        assignments.push(m.assignment.assignmentId)
        stream.write({ ack: { assignmentId: m.assignment.assignmentId, epoch: m.assignment.epoch } })
      }
    })
    stream.on('error', reject)
  })
  stream.write({
    register: {
      inventory: {
        gpus: node.gpus.map((g, index) => ({
          index,
          model: g.model,
          vramMib: g.vramMib,
          uuid: `GPU-${node.name}-${index}`,
        })),
        cpuCores: 16,
        ramMib: '65536',
        hostname: node.name,
        region: node.region,
      },
      pricePerGpuHourMicros: node.pricePerGpuHourMicros,
      agentVersion: 'raw-test-agent',
    },
  })
  await registered
  let sequence = 0
  return {
    nodeId,
    assignments,
    /** A heartbeat, as a live agent sends every interval; stop sending them and the node is lost. */
    beat: () => stream.write({ heartbeat: { sequence: String(++sequence) } }),
    close: () => stream.cancel(),
  }
}

export const registryClient = (address: string): RegistryClient =>
  createClient(loadProtos().idlegrid.registry.v1.RegistryService, address)
