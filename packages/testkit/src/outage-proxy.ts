import { connect, createServer, type Server, type Socket } from 'node:net'

export interface OutageProxy {
  /** Where clients connect instead of the store. */
  port: number
  /**
   * The store goes away for `ms`: every connection through the proxy is cut
   * at once and new ones are refused (ECONNREFUSED), as through a restart,
   * a failover or a network partition; then it answers again.
   */
  outage(ms: number): Promise<void>
  /** The store answers `delayMs` late, every chunk each way, for `forMs`. */
  slow(delayMs: number, forMs: number): Promise<void>
  close(): Promise<void>
}

/**
 * A TCP proxy in front of Postgres or Redis that a test can take down: the
 * services connect through it, so an outage cuts only this test's
 * connections, never those of the other test files sharing the server.
 */
export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const { hostname, port: targetPort } = new URL(target)
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(targetPort), hostname)
    open.add(client).add(upstream)
    const close = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
    relay(client, upstream)
    relay(upstream, client)
  })
  /** Extra delay on every chunk relayed, in order: a store answering slowly. */
  let lag = 0
  const relay = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      if (lag === 0 && pending.get(to) === undefined) to.write(chunk)
      else {
        const queue = pending.get(to) ?? []
        queue.push(chunk)
        pending.set(to, queue)
        setTimeout(() => {
          const q = pending.get(to)
          const next = q?.shift()
          if (q && q.length === 0) pending.delete(to)
          if (next && !to.destroyed) to.write(next)
        }, lag)
      }
    })
  const pending = new Map<Socket, Buffer[]>()
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  await listen(0)
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return {
    port,
    async outage(ms) {
      const closed = closeServer()
      for (const socket of open) socket.destroy()
      open.clear()
      await closed
      await new Promise((resolve) => setTimeout(resolve, ms))
      await listen(port)
    },
    async slow(delayMs, forMs) {
      lag = delayMs
      await new Promise((resolve) => setTimeout(resolve, forMs))
      lag = 0
    },
    async close() {
      const closed = closeServer()
      for (const socket of open) socket.destroy()
      await closed
    },
  }
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: OutageProxy): string {
  const proxied = new URL(url)
  proxied.hostname = '127.0.0.1'
  proxied.port = String(proxy.port)
  return proxied.toString()
}
