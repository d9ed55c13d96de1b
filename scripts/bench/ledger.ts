import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { type BillingDb, billingMigrations, postTransferBatch, verifyLedger } from '@idlegrid/billing'
import { createDb, type Kysely, migrateToLatest, sql } from '@idlegrid/db'
import type { TransferRequest } from '@idlegrid/ledger-core'
import { postNaively } from './ledger/naive.js'
import { customerIds, seedTransfers, Workload } from './ledger/workload.js'

/**
 * `pnpm bench:ledger`: transfers per second through billing's ledger with
 * every invariant on — per-currency hash chain, balances updated in the same
 * transaction, overdraft flags, idempotency by id — as the service role.
 *
 * Ours: `postTransferBatch`, a few writers each posting batches of whole
 * money flows (ledger/workload.ts: jobs' holds and settlements with fees,
 * deposits, payouts, retries, overdraft attempts), one transaction and a
 * handful of round trips per batch. Baseline (ledger/naive.ts): the same
 * flows one transfer per transaction with SELECT … FOR UPDATE, from many
 * clients. Each writes its own fresh database, and `ledger verify` must pass
 * on both afterwards. Target (issue 5): ≥ 5,000 transfers/s and ≥ 5× the
 * baseline. Writes bench/results/ledger.json.
 */
const root = join(import.meta.dirname, '..', '..')
const TARGET_RATE = 5_000
const TARGET_RATIO = 5

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    'naive-seconds': { type: 'string', default: '10' },
    batch: { type: 'string', default: '1000' },
    writers: { type: 'string', default: '3' },
    'naive-clients': { type: 'string', default: '4' },
    customers: { type: 'string', default: '3000' },
    providers: { type: 'string', default: '300' },
    seed: { type: 'string', default: '7' },
    role: { type: 'string', default: 'idlegrid_billing' },
  },
})
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const n = (name: keyof typeof flags) => Number(flags[name])
const say = (line: string) => process.stdout.write(`${line}\n`)
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits

interface Tally {
  created: number
  exists: number
  refused: number
  seconds: number
  latenciesMs: number[]
}
const perSecond = (t: Tally) => round(t.created / t.seconds)
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0, 2)
}

/** A fresh, migrated database; returns a handle as the service role and a way to drop it. */
async function freshLedger(label: string, pool: number) {
  const name = `idlegrid_bench_${label}_${randomBytes(4).toString('hex')}`
  const admin = createDb<unknown>(adminUrl, { max: 1 })
  await sql`create database ${sql.id(name)}`.execute(admin)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const owner = createDb<unknown>(url.toString(), { max: 2 })
  await migrateToLatest(owner, billingMigrations)
  await owner.destroy()
  const db = createDb<BillingDb>(url.toString(), {
    max: pool,
    role: flags.role,
    applicationName: `bench-${label}`,
  })
  return {
    db,
    async drop() {
      await db.destroy()
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
      await admin.destroy()
    },
  }
}

function workloads(count: number, prefix: string): Workload[] {
  const slice = Math.floor(n('customers') / count)
  return Array.from(
    { length: count },
    (_, i) =>
      new Workload({
        seed: n('seed') * 1000 + i,
        firstCustomer: i * slice,
        customers: slice,
        providers: n('providers'),
        prefix,
      }),
  )
}

async function seed(db: Kysely<BillingDb>): Promise<void> {
  const all = seedTransfers(customerIds(0, n('customers')), 's_')
  for (let i = 0; i < all.length; i += 2_000) await postTransferBatch(db, all.slice(i, i + 2_000))
}

async function runUntil(seconds: number, loop: (deadline: number) => Promise<void>[]): Promise<number> {
  const started = performance.now()
  await Promise.all(loop(started + seconds * 1000))
  return (performance.now() - started) / 1000
}

function count(tally: Tally, status: 'created' | 'exists' | 'refused') {
  tally[status]++
}

async function benchOurs(db: Kysely<BillingDb>): Promise<Tally> {
  const tally: Tally = { created: 0, exists: 0, refused: 0, seconds: 0, latenciesMs: [] }
  // Warm-up: a few batches per writer (connections, plans, caches), not counted.
  const warm = workloads(n('writers'), 'w_')
  await Promise.all(
    warm.map(async (w) => {
      for (let i = 0; i < 3; i++) await postTransferBatch(db, w.batch(n('batch')))
    }),
  )
  const streams = workloads(n('writers'), 'o_')
  tally.seconds = await runUntil(n('seconds'), (deadline) =>
    streams.map(async (w) => {
      while (performance.now() < deadline) {
        const batch = w.batch(n('batch'))
        const t0 = performance.now()
        const outcomes = await postTransferBatch(db, batch)
        tally.latenciesMs.push(performance.now() - t0)
        for (const o of outcomes) count(tally, o.status)
      }
    }),
  )
  return tally
}

async function benchNaive(db: Kysely<BillingDb>): Promise<Tally> {
  const tally: Tally = { created: 0, exists: 0, refused: 0, seconds: 0, latenciesMs: [] }
  const streams = workloads(n('naive-clients'), 'n_')
  tally.seconds = await runUntil(n('naive-seconds'), (deadline) =>
    streams.map(async (w) => {
      let queue: TransferRequest[] = []
      // A flow once begun is finished (a job's hold is always settled), so the ledger ends whole.
      while (queue.length > 0 || performance.now() < deadline) {
        if (queue.length === 0) queue = w.next()
        const t0 = performance.now()
        count(tally, await postNaively(db, queue.shift()!))
        tally.latenciesMs.push(performance.now() - t0)
      }
    }),
  )
  return tally
}

async function verified(db: Kysely<BillingDb>) {
  const t0 = performance.now()
  const report = await verifyLedger(db)
  for (const problem of report.problems.slice(0, 5)) say(`  verify: ${problem}`)
  return {
    ok: report.ok,
    problems: report.problemCount,
    transfers: report.transfers,
    seconds: round((performance.now() - t0) / 1000, 1),
  }
}

say(
  `bench:ledger — ${flags.seconds} s ours (${flags.writers} writers × batches of ${flags.batch}), ` +
    `${flags['naive-seconds']} s naive (${flags['naive-clients']} clients), ${flags.customers} customers, node ${process.version}`,
)
const oursDb = await freshLedger('ours', n('writers'))
const naiveDb = await freshLedger('naive', n('naive-clients'))
try {
  await seed(oursDb.db)
  await seed(naiveDb.db)
  const naive = await benchNaive(naiveDb.db)
  say(`  naive: ${perSecond(naive)} transfers/s`)
  const ours = await benchOurs(oursDb.db)
  say(`  ours:  ${perSecond(ours)} transfers/s`)
  const [oursAudit, naiveAudit] = [await verified(oursDb.db), await verified(naiveDb.db)]

  const ratio = round(perSecond(ours) / perSecond(naive), 1)
  const cell = (s: string | number, w: number) => String(s).padStart(w)
  say('')
  say(`${cell('', 28)} | ${cell('ours (batched)', 16)} | ${cell('naive (1 per tx)', 16)}`)
  const line = (label: string, a: string | number, b: string | number) =>
    say(`${label.padEnd(28)} | ${cell(a, 16)} | ${cell(b, 16)}`)
  line('transfers/s (created)', perSecond(ours), perSecond(naive))
  line(
    'created / exists / refused',
    `${ours.created}/${ours.exists}/${ours.refused}`,
    `${naive.created}/${naive.exists}/${naive.refused}`,
  )
  line(
    'latency p50 / p99 ms',
    `${percentile(ours.latenciesMs, 50)} / ${percentile(ours.latenciesMs, 99)}`,
    `${percentile(naive.latenciesMs, 50)} / ${percentile(naive.latenciesMs, 99)}`,
  )
  line('  (per)', `batch of ${flags.batch}`, 'transfer')
  line(
    'ledger verify',
    `${oursAudit.ok ? 'OK' : 'BROKEN'} (${oursAudit.seconds} s)`,
    `${naiveAudit.ok ? 'OK' : 'BROKEN'} (${naiveAudit.seconds} s)`,
  )
  line('ratio', `${ratio}×`, '1×')

  const value = perSecond(ours)
  const result = {
    name: 'ledger',
    value,
    unit: 'transfers/s with hash chain, balances, overdraft flags and idempotency',
    target: TARGET_RATE,
    meets: value >= TARGET_RATE && ratio >= TARGET_RATIO && oursAudit.ok && naiveAudit.ok,
    baseline: perSecond(naive),
    ratio,
    details: {
      targetRatio: TARGET_RATIO,
      seconds: round(ours.seconds, 1),
      naiveSeconds: round(naive.seconds, 1),
      batch: n('batch'),
      writers: n('writers'),
      naiveClients: n('naive-clients'),
      customers: n('customers'),
      providers: n('providers'),
      seed: n('seed'),
      created: ours.created,
      exists: ours.exists,
      refused: ours.refused,
      batchP50Ms: percentile(ours.latenciesMs, 50),
      batchP99Ms: percentile(ours.latenciesMs, 99),
      naiveCreated: naive.created,
      naiveExists: naive.exists,
      naiveRefused: naive.refused,
      naiveP50Ms: percentile(naive.latenciesMs, 50),
      naiveP99Ms: percentile(naive.latenciesMs, 99),
      verifyOk: oursAudit.ok,
      verifyTransfers: oursAudit.transfers,
      verifySeconds: oursAudit.seconds,
      naiveVerifyOk: naiveAudit.ok,
      naiveVerifyTransfers: naiveAudit.transfers,
      role: flags.role,
      node: process.version,
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim(),
      measuredAt: new Date().toISOString(),
    },
  }
  const dir = join(root, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'ledger.json'), `${JSON.stringify(result, null, 2)}\n`)
  say(
    `\n${result.meets ? 'meets' : 'MISSES'} target: ${value} transfers/s (≥ ${TARGET_RATE}) and ${ratio}× naive (≥ ${TARGET_RATIO}×), ledgers verified: ${oursAudit.ok && naiveAudit.ok}`,
  )
  say(`wrote ${relative(root, join(dir, 'ledger.json'))}`)
} finally {
  await oursDb.drop()
  await naiveDb.drop()
}
