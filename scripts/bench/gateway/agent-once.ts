import { grpc } from '@idlegrid/grpc'
import type { ControlMessage__Output } from '@idlegrid/proto/registry'
import { registryClient } from '../../fleet/registry-client.js'

/**
 * A node's agent that registers its GPUs once and leaves (the node stays
 * enrolled, suspect then offline): the fleet could run the benchmark's jobs,
 * so they are accepted and wait, without any running.
 */
export async function registerOnce(registryAddress: string, token: string): Promise<void> {
  const client = registryClient(registryAddress)
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${token}`)
  const stream = client.connect(metadata)
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (m: ControlMessage__Output) => {
      if (m.body === 'registered') resolve()
    })
    stream.on('error', reject)
    stream.write({
      register: {
        inventory: {
          gpus: Array.from({ length: 8 }, (_, index) => ({
            index,
            model: 'H100',
            vramMib: 81_920,
            uuid: `GPU-bench-${index}`,
          })),
          cpuCores: 64,
          ramMib: '524288',
          hostname: 'bench-rig',
          region: 'eu-west',
        },
        pricePerGpuHourMicros: '2000000',
        agentVersion: 'bench',
      },
    })
  })
  stream.on('error', () => {})
  stream.cancel()
  client.close()
}
