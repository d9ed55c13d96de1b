import type * as grpc from '@grpc/grpc-js'
import { loadProtos } from '@idlegrid/proto'
import type { HealthCheckResponse__Output } from '@idlegrid/proto/health'
import { callUnary, createClient } from './client.js'

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

/** A readiness check for a gRPC dependency: true when it answers SERVING within the deadline. */
export function healthProbe(
  address: string,
  deadlineMs = 1_000,
): { check(): Promise<boolean>; close(): void } {
  const client = createClient(loadProtos().grpc.health.v1.Health, address)
  return {
    async check() {
      try {
        const res: HealthCheckResponse__Output = await callUnary(client, 'check', {}, { deadlineMs })
        return res.status === 'SERVING'
      } catch {
        return false
      }
    },
    close: () => client.close(),
  }
}
