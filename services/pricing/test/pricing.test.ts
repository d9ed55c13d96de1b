import { createDb, migrateToLatest } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import { createLogger } from '@idlegrid/telemetry'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPricingService,
  loadPricingConfig,
  type PricingService,
  pricingMigrations,
} from '../src/index.js'

const env = useTestEnv()
let service: PricingService
let client: InstanceType<ReturnType<typeof loadProtos>['idlegrid']['pricing']['v1']['PricingService']>

beforeAll(async () => {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, pricingMigrations)
  await db.destroy()
  const config = loadPricingConfig({
    DATABASE_URL: env.databaseUrl,
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
  })
  service = createPricingService(config, createLogger('pricing', 'silent'))
  await service.start()
  client = createClient(loadProtos().idlegrid.pricing.v1.PricingService, `127.0.0.1:${service.ports().grpc}`)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

const spec = (over: Record<string, unknown> = {}) => ({
  kind: 'training',
  command: ['true'],
  gpus: { count: 2, models: ['RTX4090'], minVramMib: 0 },
  maxPricePerGpuHourMicros: '0',
  maxDurationS: 3600,
  currency: 'USD',
  ...over,
})

describe('pricing over gRPC', () => {
  it('quotes from the reference price book and the fee schedule', async () => {
    const quote = await callUnary(client, 'quote', { spec: spec() })
    expect(quote).toMatchObject({
      pricePerGpuHourMicros: '450000',
      holdAmountMicros: '900000',
      currency: 'USD',
      feeBps: 500,
    })
    expect(new Date(quote.expiresAt).getTime()).toBeGreaterThan(Date.now())
  })

  it('honours the customer ceiling and the token discount', async () => {
    const quote = await callUnary(client, 'quote', {
      spec: spec({ maxPricePerGpuHourMicros: '700000', currency: 'GRID' }),
    })
    expect(quote.pricePerGpuHourMicros).toBe('700000')
    expect(quote.feeBps).toBe(100)
    // Prices are USD in every currency: 0.70 USD/h × 2 GPUs × 1 h, held in USD micros.
    expect(quote.holdAmountMicros).toBe('1400000')
    expect(quote.currency).toBe('GRID')
  })

  it('refuses an unknown currency with INVALID_ARGUMENT naming the field', async () => {
    await expect(callUnary(client, 'quote', { spec: spec({ currency: 'EUR' }) })).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'currency',
    })
  })

  it('is ready while Postgres answers', async () => {
    const res = await fetch(`http://127.0.0.1:${service.ports().http}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: true } })
  })
})
