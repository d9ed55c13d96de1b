import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Agent } from '@idlegrid/node-agent'
import { minuteFromNow, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'
import { repoRoot } from '../support/processes.js'

/**
 * `idlegrid quote`, `submit --quote` and the provider commands (`nodes`,
 * `price set`, `earnings`) used as new users would: the real bin in child
 * processes, a customer and a provider each with their own saved login.
 */
const env = useTestEnv()
const bin = join(repoRoot, 'tests', 'node_modules', '.bin', 'idlegrid')
let cluster: Cluster
let agent: Agent
let home: string
let providerId: string

interface Run {
  code: number | null
  stdout: string
  stderr: string
}
type Who = 'customer' | 'provider'

async function idlegrid(who: Who, args: string[]): Promise<Run> {
  const child = spawn(bin, args, {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, who) },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  child.stdin.end('')
  const [code] = await once(child, 'close')
  return { code: code as number | null, stdout, stderr }
}
const ok = async (who: Who, args: string[]) => {
  const run = await idlegrid(who, args)
  expect(run.code, `idlegrid ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0)
  return run.stdout
}
const file = (name: string, text: string) => {
  writeFileSync(join(home, name), text)
  return name
}
const JOB =
  'kind: training\ncommand: ["node", "-e", "console.log(42)"]\ngpus: { count: 1, models: [RTX4090] }\nmaxDurationS: 600\n'

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'idlegrid-cli-market-'))
  cluster = await startCluster(env, {
    pricing: { MARKET_SAMPLE_INTERVAL_MS: '200' },
    // The job here earns a fraction of a cent: any amount may be paid out.
    billing: { PAYOUT_MINIMUMS: 'USD=1' },
  })
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
  if (home) rmSync(home, { recursive: true, force: true })
})

describe('idlegrid quote and the provider commands', { timeout: 180_000 }, () => {
  it('explain themselves with --help and examples', async () => {
    for (const name of ['quote', 'nodes', 'price', 'earnings', 'payout']) {
      const text = await ok('customer', [name, '--help'])
      expect(text, name).toMatch(/^Usage: idlegrid /)
      expect(text, name).toContain('Examples:')
    }
    expect(await ok('customer', ['submit', '--help'])).toContain('--quote <id>')
    expect(await ok('customer', ['--help'])).toMatch(/idlegrid quote job\.yaml[\s\S]*idlegrid price set/)
  })

  it('a provider signs up, sees its node and sets its price', async () => {
    const signedUp = await ok('provider', ['signup', 'CLI GPUs', '--provider', '--url', cluster.gatewayUrl])
    providerId = /acct_[0-9a-z]{26}/.exec(signedUp)?.[0] ?? ''
    expect(providerId).not.toBe('')
    agent = await startAgent(cluster, {
      provider: providerId,
      gpus: '1xRTX4090:24',
      pricePerGpuHourMicros: '450000',
    })
    expect(await ok('provider', ['nodes'])).toMatch(
      new RegExp(`${agent.nodeId()} .*1×RTX4090 +0/1 +\\$0\\.45`),
    )
    expect(await ok('provider', ['price', 'set', '0.55'])).toContain(`${agent.nodeId()} (`)
    const listed = JSON.parse(await ok('provider', ['nodes', '--json'])) as {
      pricePerGpuHourMicros: number
    }[]
    expect(listed.map((n) => n.pricePerGpuHourMicros)).toEqual([550_000])

    const bad = await idlegrid('provider', ['price', 'set', 'cheap'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('US dollars per GPU-hour')
    const notMine = await idlegrid('provider', [
      'price',
      'set',
      '0.60',
      '--node',
      'node_0000000000abcdefghjkmnpqrs',
    ])
    expect(notMine.code).toBe(1)
    expect(notMine.stderr).toContain('code: node_not_found (HTTP 404)')
  })

  it('a customer quotes a job file, sees why, and submits it at the quoted price', async () => {
    await ok('customer', ['signup', 'CLI Studio', '--url', cluster.gatewayUrl])
    await ok('customer', ['deposit', '10'])
    const job = file('job.yaml', JOB)
    // The market is sampled a moment after the new price: wait for the quote to follow it.
    const quoted = await waitFor(
      async () => {
        const q = JSON.parse(await ok('customer', ['quote', job, '--json'])) as {
          id: string
          pricePerGpuHourMicros: number
          holdUsdMicros: number
          explanation: { basis: string; levelMicros: number }
        }
        return q.explanation.levelMicros === 550_000 ? q : undefined
      },
      { timeoutMs: 30_000, what: 'a quote at the new asking price' },
    )
    expect(quoted.explanation.basis).toBe('market')
    const text = await ok('customer', ['quote', job])
    expect(text).toMatch(/Price +\$0\.55 per GPU-hour, at most \(market price\)/)
    expect(text).toMatch(/Fee +5% of what is charged/)
    expect(text).toMatch(/Market +RTX4090 in eu-west: 1\/1 GPUs free/)
    expect(text).toMatch(/Multiplier +×0\.\d\d on the median asking price \$0\.55/)
    expect(text).toMatch(/Submit at this price with: idlegrid submit job\.yaml --quote quote_[0-9a-z]{26}/)

    const submitted = JSON.parse(await ok('customer', ['submit', job, '--quote', quoted.id, '--json'])) as {
      id: string
      holdMicros: number
      spec: { maxPricePerGpuHourMicros: number; quoteId: string }
    }
    expect(submitted.holdMicros).toBe(quoted.holdUsdMicros)
    expect(submitted.spec).toMatchObject({
      maxPricePerGpuHourMicros: quoted.pricePerGpuHourMicros,
      quoteId: quoted.id,
    })
    const watched = await idlegrid('customer', ['watch', submitted.id])
    expect(watched.code, watched.stderr).toBe(0)

    // The file changed since it was quoted: refused, nothing held, and what to do next is said.
    file('job.yaml', JOB.replace('maxDurationS: 600', 'maxDurationS: 900'))
    const changed = await idlegrid('customer', ['submit', job, '--quote', quoted.id])
    expect(changed.code).toBe(1)
    expect(changed.stderr).toContain('code: quote_mismatch (HTTP 422)')
    expect(changed.stderr).toContain('get a new quote with: idlegrid quote job.yaml')
  })

  it('the provider sees what the job earned', async () => {
    const jobs = JSON.parse(await ok('customer', ['jobs', '--json'])) as {
      id: string
      cost: { providerMicros: number }
    }[]
    const [job] = jobs
    const earned = await waitFor(
      async () => {
        const e = JSON.parse(await ok('provider', ['earnings', '--json'])) as {
          jobsMicros: number
          jobs: { jobId: string; earnedMicros: number }[]
        }
        return e.jobs.length > 0 ? e : undefined
      },
      { timeoutMs: 30_000, what: 'earnings of the job' },
    )
    expect(earned.jobs).toEqual([
      expect.objectContaining({ jobId: job!.id, earnedMicros: job!.cost.providerMicros }),
    ])
    const text = await ok('provider', ['earnings'])
    expect(text).toMatch(/from jobs +\$0\.\d+/)
    expect(text).toContain(job!.id)
    const bad = await idlegrid('provider', ['earnings', '--currency', 'EUR'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--currency is one of USD, USDC, GRID')
  })

  it('the provider pays its earnings out, and is refused more than it earned', async () => {
    const { earnedMicros } = JSON.parse(await ok('provider', ['balance', '--json'])) as {
      earnedMicros: number
    }
    expect(earnedMicros).toBeGreaterThan(0)
    const tooMuch = await idlegrid('provider', ['payout', '1000'])
    expect(tooMuch.code).toBe(1)
    expect(tooMuch.stderr).toMatch(/code: \w+ \(HTTP 4\d\d\)/)
    expect(JSON.parse(await ok('provider', ['balance', '--json'])).earnedMicros).toBe(earnedMicros)
    const all = await ok('provider', ['payout'])
    expect(all).toMatch(/^Paid out \$0\.\d+ \(po_[^)]+\); \$0\.00 earned and not yet paid out\.$/m)
    expect(JSON.parse(await ok('provider', ['balance', '--json'])).earnedMicros).toBe(0)
    const bad = await idlegrid('provider', ['payout', 'lots'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"lots" is not an amount of USD')
  })

  it('the provider enrols a machine from the CLI, its agent connects with the credential shown, then drains and revokes it', async () => {
    const added = await ok('provider', ['nodes', 'add', 'rig-two'])
    const nodeId = /Enrolled (node_[0-9a-z]{26}) \(rig-two\)/.exec(added)?.[1]
    const token = /IDLEGRID_NODE_TOKEN='([^']+)'/.exec(added)?.[1]
    expect(nodeId, added).toBeDefined()
    expect(token, added).toBeDefined()
    // The command to start the agent names the registry it dials.
    expect(added).toContain(`idlegrid-agent --registry ${cluster.registryAddress}`)
    expect(await ok('provider', ['nodes'])).toMatch(
      new RegExp(`${nodeId} +rig-two +enrolled +- +- +0/0 +not set`),
    )

    const second = await startAgent(cluster, { provider: providerId, gpus: '2xL4:24', token })
    try {
      expect(second.nodeId()).toBe(nodeId)
      expect(await ok('provider', ['nodes'])).toMatch(new RegExp(`${nodeId} +rig-two +online +eu-west +2×L4`))
      expect(await ok('provider', ['nodes', 'drain', nodeId!])).toMatch(
        new RegExp(`${nodeId} +rig-two +draining`),
      )
      expect(await ok('provider', ['nodes', 'undrain', nodeId!])).toMatch(
        new RegExp(`${nodeId} +rig-two +online`),
      )
      // Lent in hours: every day, all day, is the whole week (open, no end); --always clears them.
      expect(
        await ok('provider', ['nodes', 'hours', nodeId!, '--window', 'daily', '--tz', 'Europe/Amsterdam']),
      ).toMatch(new RegExp(`${nodeId} +rig-two +online .* daily 00:00-24:00 \\(Europe/Amsterdam\\)$`, 'm'))
      // Lent until two hours from now: customers see until when, and a longer job does not see it.
      const span = `${minuteFromNow(-60).toISOString().slice(11, 16)}-${minuteFromNow(120).toISOString().slice(11, 16)}`
      await ok('provider', ['nodes', 'hours', nodeId!, '--window', `daily ${span}`, '--tz', 'UTC'])
      await waitFor(
        async () => (await ok('customer', ['offers', '--model', 'L4'])).includes(nodeId!) || undefined,
        {
          what: 'the node offered',
        },
      )
      const offered = await ok('customer', ['offers', '--model', 'L4', '--max-hours', '1'])
      expect(offered).toMatch(new RegExp(`^${nodeId} .* \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:00$`, 'm'))
      expect(await ok('customer', ['offers', '--model', 'L4', '--max-hours', '4'])).toContain('No offers fit')
      expect(await ok('provider', ['nodes', 'hours', nodeId!, '--always'])).toMatch(/ always$/m)
      const badWindow = await idlegrid('provider', [
        'nodes',
        'hours',
        nodeId!,
        '--window',
        'someday',
        '--tz',
        'UTC',
      ])
      expect(badWindow.code).toBe(2)
      expect(badWindow.stderr).toContain('--window is days and')
      expect(await ok('provider', ['nodes', 'revoke', nodeId!])).toMatch(
        new RegExp(`${nodeId} +rig-two +revoked`),
      )
    } finally {
      await second.stop()
    }
    const unknown = await idlegrid('provider', ['nodes', 'reboot', nodeId!])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('a nodes action is one of add, drain, undrain, revoke')
  })
})
