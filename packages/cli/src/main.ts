import { runCli } from './cli.js'

async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text
}

const stop = new AbortController()
// Ctrl-C while watching: leave the stream and exit the way shells expect (128 + SIGINT).
process.once('SIGINT', () => {
  stop.abort()
  process.exitCode = 130
})

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  out: {
    line: (text = '') => process.stdout.write(`${text}\n`),
    write: (text) => process.stdout.write(text),
    note: (text) => process.stderr.write(`${text}\n`),
    isTTY: process.stdout.isTTY === true,
  },
  stdinIsTTY: process.stdin.isTTY === true,
  readStdin,
  signal: stop.signal,
})
