import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type { HealthCheckResponse__Output } from '@idlegrid/proto/health'
import { callUnary } from './client.js'

/** Serves grpc.health.v1 so peers' readiness probes can ask if we are up. */
export function addHealthService(server: grpc.Server, isServing: () => Promise<boolean>): void {
  server.addService(loadProtos().grpc.health.v1.Health.service, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<{ status: string }>) => {
      isServing().then(
        (ok) => callback(null, { status: ok ? 'SERVING' : 'NOT_SERVING' }),
        () => callback(null, { status: 'NOT_SERVING' }),
      )
    },
  })
}

/**
 * A readiness check for a gRPC dependency: true when it answers SERVING within
 * the deadline. It rides the channel of the client the service already has for
 * that peer, so readiness probes the very connection requests use and opens
 * none of its own (closing that client closes it too).
 */
export function healthProbe(peer: grpc.Client, deadlineMs = 1_000): () => Promise<boolean> {
  const Health = loadProtos().grpc.health.v1.Health
  const client = new Health(peer.getChannel().getTarget(), grpc.credentials.createInsecure(), {
    channelOverride: peer.getChannel(),
  })
  return async () => {
    try {
      const res: HealthCheckResponse__Output = await callUnary(client, 'check', {}, { deadlineMs })
      return res.status === 'SERVING'
    } catch {
      return false
    }
  }
}
