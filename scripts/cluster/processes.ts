import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const root = join(import.meta.dirname, '..', '..')
export const logDir = join(root, '.idlegrid', 'logs')

export interface Managed {
  name: string
  child: ChildProcess
  exited: Promise<number | null>
}

/** Starts `services/<dir>/src/main.ts` as its own process; its JSON logs go to .idlegrid/logs/<name>.log. */
export function startProcess(
  name: string,
  dir: string,
  env: Record<string, string>,
  args: string[] = [],
): Managed {
  mkdirSync(logDir, { recursive: true })
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' })
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('services', dir, 'src', 'main.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { name, child, exited }
}

/** SIGTERM, then wait; SIGKILL whatever has not exited after `graceMs`. */
export async function stopProcesses(processes: Managed[], graceMs = 12_000): Promise<void> {
  for (const p of processes) p.child.kill('SIGTERM')
  const timer = setTimeout(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL')
  }, graceMs)
  await Promise.all(processes.map((p) => p.exited))
  clearTimeout(timer)
}

export async function waitReady(
  name: string,
  url: string,
  managed: Managed,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null) {
      throw new Error(
        `${name} exited with code ${managed.child.exitCode}; see ${join(logDir, `${name}.log`)}`,
      )
    }
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`${name} was not ready after ${timeoutMs} ms; see ${join(logDir, `${name}.log`)}`)
}
