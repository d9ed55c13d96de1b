/**
 * The last lines a job printed, bounded in lines and characters so a chatty
 * process cannot grow the agent's memory or the progress messages. Only the
 * tail is kept: the registry shows it to the customer as "what is it doing".
 */
export interface LogTail {
  push(chunk: string): void
  text(): string
}

export interface LogTailLimits {
  maxChars?: number
  maxLines?: number
}

export function createLogTail({ maxChars = 4096, maxLines = 20 }: LogTailLimits = {}): LogTail {
  let buffer = ''

  return {
    push(chunk) {
      if (chunk.length === 0) return
      buffer += chunk
      if (buffer.length > maxChars) buffer = buffer.slice(-maxChars)
      const endsWithNewline = buffer.endsWith('\n')
      const lines = buffer.split('\n')
      if (endsWithNewline) lines.pop()
      if (lines.length > maxLines) buffer = lines.slice(-maxLines).join('\n') + (endsWithNewline ? '\n' : '')
    },
    text() {
      return buffer
    },
  }
}
