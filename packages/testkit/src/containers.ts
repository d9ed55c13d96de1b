import type { StartedTestContainer } from 'testcontainers'

let started: Promise<{ postgres: string; redis: string }> | undefined
const running: StartedTestContainer[] = []

/** Starts Postgres and Redis once per test process when a Docker engine answers. */
export function startContainers(): Promise<{ postgres: string; redis: string }> {
  started ??= (async () => {
    // Loaded only when no TEST_* URLs are set, so ordinary runs never pay for it.
    const { GenericContainer } = await import('testcontainers')
    const postgres = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .start()
    const redis = await new GenericContainer('redis:7-alpine')
      .withCommand(['redis-server', '--maxmemory-policy', 'noeviction'])
      .withExposedPorts(6379)
      .start()
    running.push(postgres, redis)
    return {
      postgres: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
      redis: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    }
  })()
  return started
}
