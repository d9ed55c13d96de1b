import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createDb, sql } from '@idlegrid/db'
import { Redis } from 'ioredis'
import { cpuTicks, statusBytes } from './registry/stats.js'

/**
 * What the end-to-end benchmarks (bench:registry, bench:placement) share to
 * run services as processes on the development machine: their child
 * processes and a cleanup that runs whatever happens, a fresh database, the
 * Redis keys of the run's own prefix, free ports, and CPU and memory read
 * from /proc.
 */
export const root = join(import.meta.dirname, '..', '..')
export const resultsDir = join(root, 'bench', 'results')
export const logDir = join(root, '.idlegrid', 'logs')
export const MB = 1024 * 1024

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const say = (text: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${text}\n`)
export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null)
export const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits)

/** Prints rows as a table with padded columns. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
  process.stdout.write('\n')
  for (const row of rows)
    process.stdout.write(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('   ')}\n`)
}

// ---------------------------------------------------------------------------------------------------------
// Child processes

/** The benchmark's child processes, so that a cleanup can stop every one still running. */
export class Children {
  private readonly all = new Set<ChildProcess>()

  track(child: ChildProcess): ChildProcess {
    this.all.add(child)
    child.once('exit', () => this.all.delete(child))
    return child
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(child: ChildProcess | undefined, graceMs = 15_000): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }

  async stopAll(graceMs = 3_000): Promise<void> {
    await Promise.all([...this.all].map((child) => this.stop(child, graceMs)))
  }

  /** A TypeScript file as a child process with IPC (a load generator, a bare server, a worker). */
  forkTs(file: string, name: string): ChildProcess {
    return this.track(
      fork(file, [], {
        cwd: root,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'json',
        env: { ...process.env, BENCH_CHILD: name },
      }),
    )
  }

  /**
   * `services/<dir>/src/main.ts` as its own process (so its CPU and memory are
   * its own), its output in `logFile`; `nodeArgs` go before the script
   * (--cpu-prof and the like).
   */
  spawnService(dir: string, env: Record<string, string>, logFile: string, nodeArgs: string[] = []) {
    mkdirSync(logDir, { recursive: true })
    const log = createWriteStream(logFile, { flags: 'w' })
    const child = this.track(
      spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, join('services', dir, 'src', 'main.ts')], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    )
    child.stdout?.pipe(log)
    child.stderr?.pipe(log)
    return child
  }
}

/** Waits until a service's /readyz answers 200; throws if it exits or takes longer than `timeoutMs`. */
export async function waitReady(
  name: string,
  child: ChildProcess,
  httpPort: number,
  logFile: string,
  timeoutMs = 60_000,
): Promise<void> {
  const readyBy = Date.now() + timeoutMs
  while (
    !(await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}); see ${logFile}`)
    if (Date.now() > readyBy)
      throw new Error(`${name} was not ready in ${timeoutMs / 1000} s; see ${logFile}`)
    await sleep(200)
  }
}

export async function metricsText(httpPort: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { signal: AbortSignal.timeout(5_000) })
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`)
  return res.text()
}

/**
 * Runs `cleanup` once, on SIGINT/SIGTERM (exit 130) or when the run overstays
 * `watchdogMs` (exit 1); a second signal exits at once.
 */
export function cleanUpOnExit(name: string, cleanup: () => Promise<void>, watchdogMs: number): void {
  let interrupted = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130)
      interrupted = true
      say(`${signal}: cleaning up`)
      void cleanup().then(() => process.exit(130))
    })
  }
  setTimeout(() => {
    say(`${name}: gave up after ${Math.round(watchdogMs / 1000)} s; cleaning up`)
    void cleanup().then(() => process.exit(1))
  }, watchdogMs).unref()
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

// ---------------------------------------------------------------------------------------------------------
// Postgres and Redis

/** The connection string of database `name` on the server `adminUrl` points at. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * Drops and creates database `name`. With `logSlowMs`, the server logs its
 * statements slower than that and its lock waits.
 */
export async function recreateDatabase(adminUrl: string, name: string, logSlowMs?: number): Promise<void> {
  const admin = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
  try {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
    await sql`create database ${sql.id(name)}`.execute(admin)
    if (logSlowMs !== undefined && Number.isInteger(logSlowMs)) {
      await sql`alter database ${sql.id(name)} set log_min_duration_statement = ${sql.lit(logSlowMs)}`.execute(
        admin,
      )
      await sql`alter database ${sql.id(name)} set log_lock_waits = on`.execute(admin)
    }
  } finally {
    await admin.destroy()
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
  await sql`drop database if exists ${sql.id(name)} with (force)`
    .execute(admin)
    .catch((err: Error) => say(`could not drop ${name}: ${err.message}`))
  await admin.destroy()
}

/** Deletes every key under `<prefix>:`; returns how many (-1 when Redis could not be reached). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  redis.on('error', () => {})
  try {
    await redis.connect()
    let cursor = '0'
    let deleted = 0
    for (let rounds = 0; rounds < 100_000; rounds++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      if (keys.length > 0) deleted += await redis.del(...keys)
      cursor = next
      if (cursor === '0') break
    }
    return deleted
  } catch (err) {
    say(`could not delete the Redis keys of ${prefix}: ${(err as Error).message}`)
    return -1
  } finally {
    redis.disconnect()
  }
}

// ---------------------------------------------------------------------------------------------------------
// /proc

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU seconds (user + system) a process has used so far. */
export function procCpuSeconds(pid: number): number {
  return cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicks
}

/** CPU seconds of a child, 0 once it has exited. */
export const childCpuSeconds = (child: ChildProcess) =>
  child.pid && child.exitCode === null ? procCpuSeconds(child.pid) : 0

export function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { rss: statusBytes(status, 'VmRSS'), hwm: statusBytes(status, 'VmHWM') }
}

/** Total CPU seconds of the machine (all cores, busy time only), from /proc/stat. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user): idle and iowait are not busy.
  const busy = fields.reduce((s, v, i) => (i === 3 || i === 4 ? s : s + (v ?? 0)), 0)
  return busy / clockTicks
}
