import type { ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { createDb, sql } from '@idlegrid/db'
import { childCpuSeconds, machineBusySeconds, procCpuSeconds, sleep } from '../harness.js'

/**
 * Where a submission's time goes, measured while the load runs: CPU seconds
 * of each service process and of each service's Postgres backends (grouped
 * by application_name), the machine's busy time, and a tally of what the
 * database's sessions were doing (pg_stat_activity sampled every few ms:
 * running, idle, waiting on a lock or on the WAL flush).
 */
export interface CpuSnapshot {
  at: number
  machine: number
  services: Record<string, number>
  postgres: Record<string, number>
  /** Transactions the benchmark database committed so far (every autocommit statement is one). */
  commits: number
}

export function createProbe(adminUrl: string, database: string) {
  const db = createDb<unknown>(adminUrl, { max: 1, applicationName: 'bench-probe' })
  const backends = async () =>
    (
      await sql<{ pid: number; app: string }>`
        select pid, application_name as app from pg_stat_activity
        where datname = ${database} and backend_type = 'client backend'`.execute(db)
    ).rows

  return {
    async cpu(services: Record<string, ChildProcess>): Promise<CpuSnapshot> {
      const postgres: Record<string, number> = {}
      for (const { pid, app } of await backends()) {
        try {
          postgres[app || 'other'] = (postgres[app || 'other'] ?? 0) + procCpuSeconds(pid)
        } catch {
          // The backend ended meanwhile.
        }
      }
      const { rows } = await sql<{ commits: string }>`
        select xact_commit::text as commits from pg_stat_database where datname = ${database}`.execute(db)
      return {
        commits: Number(rows[0]?.commits ?? 0),
        at: performance.now(),
        machine: machineBusySeconds(),
        services: Object.fromEntries(Object.entries(services).map(([name, c]) => [name, childCpuSeconds(c)])),
        postgres,
      }
    },

    /** Samples pg_stat_activity until `stop` resolves; counts of "app state wait" over all samples. */
    async sample(stop: Promise<unknown>, everyMs = 20): Promise<Record<string, number>> {
      const tally: Record<string, number> = {}
      let done = false
      void stop.finally(() => {
        done = true
      })
      while (!done) {
        const rows = await sql<{ app: string; state: string; wait: string | null }>`
          select application_name as app, state,
                 wait_event_type || ':' || wait_event as wait
          from pg_stat_activity
          where datname = ${database} and backend_type = 'client backend' and pid <> pg_backend_pid()`.execute(
          db,
        )
        for (const r of rows.rows) {
          const what = `${r.app} ${r.state}${r.wait ? ` ${r.wait}` : ''}`
          tally[what] = (tally[what] ?? 0) + 1
        }
        await sleep(everyMs)
      }
      return tally
    },

    close: () => db.destroy(),
  }
}

/** CPU milliseconds per submission between two snapshots, per process, largest first. */
export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number) {
  const per = (a: number, b: number) => Math.round(((b - a) * 1000 * 100) / Math.max(1, requests)) / 100
  const rows: [string, number][] = [
    ...Object.keys(after.services).map((s): [string, number] => [
      s,
      per(before.services[s] ?? 0, after.services[s]!),
    ]),
    ...Object.keys(after.postgres).map((app): [string, number] => [
      `postgres (${app})`,
      per(before.postgres[app] ?? 0, after.postgres[app]!),
    ]),
  ]
  rows.sort((a, b) => b[1] - a[1])
  return {
    commitsPerRequest: Math.round(((after.commits - before.commits) / Math.max(1, requests)) * 100) / 100,
    machineBusyMsPerRequest: per(before.machine, after.machine),
    machineBusyFraction:
      Math.round(
        ((after.machine - before.machine) / ((after.at - before.at) / 1000) / availableParallelism()) * 100,
      ) / 100,
    cpuMsPerRequest: Object.fromEntries(rows),
  }
}
