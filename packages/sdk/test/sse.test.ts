import { describe, expect, it } from 'vitest'
import { parseEventStream, type ServerSentEvent } from '../src/sse.js'

const streamOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })
const parse = async (chunks: string[]) => {
  const events: ServerSentEvent[] = []
  for await (const event of parseEventStream(streamOf(chunks))) events.push(event)
  return events
}

describe('parseEventStream', () => {
  it('reads events, ids and multi-line data, and skips keep-alive comments', async () => {
    expect(
      await parse([': keep-alive\n\n', 'id: 1\nevent: job\ndata: {"a":1}\n\n', 'data: x\ndata: y\n\n']),
    ).toEqual([
      { event: 'job', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'x\ny', id: '1' },
    ])
  })

  it('joins lines split across chunks, whatever the line ending', async () => {
    expect(
      await parse(['eve', 'nt: job\r', '\ndata: {"b"', ':2}\r', '\n\r', '\nevent: end\rdata: {}\r\r']),
    ).toEqual([
      { event: 'job', data: '{"b":2}', id: undefined },
      { event: 'end', data: '{}', id: undefined },
    ])
  })

  it('does not dispatch an event that the stream cut off before its blank line', async () => {
    expect(await parse(['event: job\ndata: {"c":3}\n'])).toEqual([])
  })
})
