/** One Server-Sent Event. */
export interface ServerSentEvent {
  event: string
  data: string
  id: string | undefined
}

/**
 * Parses a `text/event-stream` body (WHATWG HTML § 9.2): `field: value`
 * lines, `:` comments (keep-alives) ignored, a blank line dispatches.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  let event = ''
  let data: string[] = []
  let id: string | undefined
  const reader = body.getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true })
      // A trailing \r may be half of a \r\n: keep it until the next chunk says.
      const heldCr = !done && buffer.endsWith('\r')
      const lines = (heldCr ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/)
      // The last piece is an unfinished line; at the end of the stream it, and any event
      // without its blank line, is dropped (§ 9.2.6: pending data is discarded).
      const unfinished = lines.pop() ?? ''
      buffer = done ? '' : `${unfinished}${heldCr ? '\r' : ''}`
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id }
          event = ''
          data = []
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon === -1 ? line : line.slice(0, colon)
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
        else if (field === 'id') id = value
      }
      if (done) return
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}
