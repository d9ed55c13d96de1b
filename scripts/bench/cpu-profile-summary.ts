import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

/**
 * `tsx scripts/bench/cpu-profile-summary.ts <file.cpuprofile> [--from µs --to µs] [--top 30]`:
 * where a V8 CPU profile (node --cpu-prof) spent its time, by function and by
 * package. --from/--to restrict it to a window of the profile's monotonic
 * clock (bench:registry --profile prints the measurement window in it).
 */
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '30' } },
})
const file = positionals[0]
if (!file) {
  process.stderr.write('usage: cpu-profile-summary <file.cpuprofile> [--from µs] [--to µs] [--top 30]\n')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const from = values.from ? Number(values.from) : profile.startTime
const to = values.to ? Number(values.to) : profile.endTime
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)

/** The package (or area) a frame belongs to. */
function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame
  if (!url) return functionName.startsWith('(') ? functionName : `(${functionName || 'native'})`
  if (url.startsWith('node:')) return 'node internals'
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const local = /\/(services\/[^/]+|packages\/[^/]+|scripts)\//.exec(url)
  return local ? local[1]! : url
}

const selfUs = new Map<number, number>()
let t = profile.startTime
let total = 0
/** Stretches of consecutive non-idle samples: how long the event loop was held at a time. */
const stretches: { at: number; us: number; samples: number[] }[] = []
let stretch: { at: number; us: number; samples: number[] } | undefined
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0
  if (t < from || t > to) continue
  const delta = profile.timeDeltas[i + 1] ?? 0
  const id = profile.samples[i]!
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  total += delta
  if (idleIds.has(id)) stretch = undefined
  else {
    if (!stretch) {
      stretch = { at: t, us: 0, samples: [] }
      stretches.push(stretch)
    }
    stretch.us += delta
    stretch.samples.push(id)
  }
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url
    ? `${url.replace(/^.*?\/(node_modules|services|packages|scripts)\//, '$1/')}:${lineNumber + 1}`
    : ''
  const column = functionName ? '' : `:${(node.callFrame as { columnNumber?: number }).columnNumber ?? 0}`
  return `${functionName || '(anonymous)'} ${where}${column}`
}
/** The innermost frame of the sampled stack that is the project's own code (services/ or packages/). */
function nearestOwnFrame(id: number): string {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const node = byId.get(at)!
    if (/\/(services|packages)\//.test(node.callFrame.url) && !node.callFrame.url.includes('node_modules'))
      return label(node)
  }
  return '(no project frame on the stack)'
}

const byFunction = new Map<string, number>()
const byArea = new Map<string, number>()
const byOwnFrame = new Map<string, number>()
for (const [id, us] of selfUs) {
  const node = byId.get(id)!
  const key = label(node)
  byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  byArea.set(area(node), (byArea.get(area(node)) ?? 0) + us)
  if (area(node) !== '(idle)') {
    const own = nearestOwnFrame(id)
    byOwnFrame.set(own, (byOwnFrame.get(own) ?? 0) + us)
  }
}

const idle = byArea.get('(idle)') ?? 0
const gc = byArea.get('(garbage collector)') ?? 0
const busy = total - idle
const windowS = (to - from) / 1e6
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`
process.stdout.write(
  `window ${windowS.toFixed(1)} s; sampled ${(total / 1e6).toFixed(1)} s, of which busy ${(busy / 1e6).toFixed(1)} s ` +
    `(${((busy / 1e6 / windowS) * 100).toFixed(1)} % of one core on the main thread)\n\nby package / area (self time):\n`,
)
const top = Number(values.top)
for (const [name, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)
process.stdout.write('\nby function (self time):\n')
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)
process.stdout.write('\nbusy time by the innermost project frame on the stack (services/, packages/):\n')
for (const [name, us] of [...byOwnFrame].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)

const longest = stretches.sort((a, b) => b.us - a.us).slice(0, 10)
process.stdout.write(
  '\nlongest stretches without idle (the event loop held), with their busiest project frames:\n',
)
for (const s of longest) {
  const frames = new Map<string, number>()
  for (const id of s.samples) frames.set(nearestOwnFrame(id), (frames.get(nearestOwnFrame(id)) ?? 0) + 1)
  const leaves = new Map<string, number>()
  for (const id of s.samples) leaves.set(label(byId.get(id)!), (leaves.get(label(byId.get(id)!)) ?? 0) + 1)
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([f, n]) => `${f} (${n})`)
      .join(', ')
  process.stdout.write(
    `  ${(s.us / 1000).toFixed(1).padStart(6)} ms at +${((s.at - from) / 1e6).toFixed(2)} s, ${s.samples.length} samples\n` +
      `      project frames: ${top(frames)}\n      leaf functions: ${top(leaves)}\n`,
  )
}
process.stdout.write(`\ngarbage collection on the main thread: ${(gc / 1000).toFixed(0)} ms\n`)
