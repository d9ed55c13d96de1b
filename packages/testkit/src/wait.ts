import { createServer } from 'node:net'

/** Polls `probe` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value) return value
    } catch (err) {
      lastError = err
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50))
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
  throw new Error(
    `timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.what ?? 'condition'}${cause}`,
  )
}

/** A TCP port that was free a moment ago (for child processes that cannot report port 0). */
/**
 * A port that was free a moment ago, for a process that binds it later. Taken
 * at random below Linux's ephemeral range (32768+): the kernel hands ephemeral
 * ports to every outgoing connection of every test running in parallel, so a
 * port it picked for us could be a client socket's by the time we bind it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (await canBind(port)) return port
  }
  throw new Error('no free port found between 20000 and 32000')
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
