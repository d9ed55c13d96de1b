import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { waitFor } from '@idlegrid/testkit'
import type { CompiledProgram } from './compile.js'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The five services that run from `services/<name>/src/main.ts` under runMain. */
export const serviceNames = ['gateway', 'registry', 'pricing', 'matching', 'billing'] as const
export type ServiceName = (typeof serviceNames)[number]

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Date.now() when the process ended. */
  at: number
}

export interface LaunchedProcess {
  child: ChildProcess
  startedAt: number
  stdout(): string
  stderr(): string
  exited: Promise<Exit>
  /** The `msg` of every pino JSON line printed on stdout so far. */
  logMessages(): string[]
}

const running = new Set<ChildProcess>()

/**
 * Runs a program of this repository from source, the way its container does
 * (`node --import tsx <main.ts>`), or compiled (compileProgram), with only the
 * environment given (plus PATH and HOME), so nothing from the test process
 * leaks into its configuration.
 */
export function launch(
  main: string | CompiledProgram,
  env: Record<string, string>,
  args: string[] = [],
): LaunchedProcess {
  const startedAt = Date.now()
  const program = typeof main === 'string' ? ['--import', 'tsx', main] : [main.file]
  const child = spawn(process.execPath, [...program, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(typeof main === 'string' ? {} : main.env),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child)
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() }
  })
  return {
    child,
    startedAt,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    logMessages: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? ''),
  }
}

/** Kills whatever a test left running (a failed assertion must not leave orphans). */
export async function killLaunched(): Promise<void> {
  const left = [...running]
  for (const child of left) child.kill('SIGKILL')
  await Promise.all(left.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)))
}

export const serviceMain = (name: ServiceName | 'node-agent') => `services/${name}/src/main.ts`

/** Resolves once `GET url` answers 200; fails at once, with the output, if the process dies first. */
export async function waitUntilHealthy(
  proc: LaunchedProcess,
  url: string,
  timeoutMs = 15_000,
): Promise<void> {
  const healthy = waitFor(async () => (await fetch(url)).status === 200, {
    timeoutMs,
    intervalMs: 100,
    what: `${url} to answer 200`,
  })
  const died = proc.exited.then((e) => {
    throw new Error(`exited with code ${e.code} before ${url} answered:\n${proc.stdout()}${proc.stderr()}`)
  })
  await Promise.race([healthy, died])
}

/** A TCP listener that only counts who connects: stands in for Postgres, Redis or a gRPC peer. */
export async function startConnectionTrap(): Promise<{
  port: number
  connections(): number
  close(): Promise<void>
}> {
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
