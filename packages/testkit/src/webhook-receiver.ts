import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One POST a receiver took, as it came. */
export interface ReceivedWebhook<Body = { id: string; type: string; data: Record<string, unknown> }> {
  path: string
  /** The Idlegrid-Event-Id header. */
  eventId: string
  /** The Idlegrid-Signature header. */
  signature: string
  /** The body exactly as received (what a signature covers). */
  raw: string
  body: Body
}

/**
 * An HTTP server standing in for a customer's webhook endpoint: it keeps
 * every POST (any path; tests give each endpoint its own) and answers 200,
 * or the statuses scripted for a path first (e.g. [500, 503]: two failures).
 */
export async function startWebhookReceiver<Body = ReceivedWebhook['body']>() {
  const received: ReceivedWebhook<Body>[] = []
  const scripted = new Map<string, number[]>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      received.push({
        path: req.url ?? '',
        eventId: String(req.headers['idlegrid-event-id']),
        signature: String(req.headers['idlegrid-signature']),
        raw,
        body: JSON.parse(raw) as Body,
      })
      res.writeHead(scripted.get(req.url ?? '')?.shift() ?? 200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** Statuses to answer, per path, before answering 200. */
    scripted,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
export type WebhookReceiver<Body = ReceivedWebhook['body']> = Awaited<
  ReturnType<typeof startWebhookReceiver<Body>>
>
