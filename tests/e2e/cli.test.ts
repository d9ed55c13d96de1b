import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Agent } from '@idlegrid/node-agent'
import { freePort, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'
import { repoRoot } from '../support/processes.js'

/**
 * The `idlegrid` command used as a new customer would, from its --help: the
 * real bin (as pnpm installed it) in a child process, with its own empty
 * config folder, against the whole cluster.
 */
const env = useTestEnv()
const bin = join(repoRoot, 'tests', 'node_modules', '.bin', 'idlegrid')
let cluster: Cluster
let agent: Agent
let home: string

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function start(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const child = spawn(bin, args, {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...options.env },
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
  child.stdin.end(options.stdin ?? '')
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }))
  return { child, done, stdout: () => stdout }
}
const idlegrid = (
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> => start(args, options).done
const ok = async (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) => {
  const run = await idlegrid(args, options)
  expect(run.code, `idlegrid ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0)
  return run.stdout
}
const jobFile = (name: string, text: string) => {
  writeFileSync(join(home, name), text)
  return name
}
const jobIdIn = (text: string) => /job_[0-9a-z]{26}/.exec(text)?.[0] ?? ''

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'idlegrid-cli-'))
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_cli', gpus: '1xRTX4090:24' })
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
  if (home) rmSync(home, { recursive: true, force: true })
})

// Each test starts several node processes (tsx compiles on start): no tight bound on a shared machine.
describe('idlegrid, as a new customer uses it', { timeout: 180_000 }, () => {
  it('explains itself: every command has --help with examples', async () => {
    const help = await ok(['--help'])
    const names = [...help.matchAll(/^ {2}([a-z]+) {2,}\S/gm)].map((m) => m[1])
    expect(names).toEqual(
      expect.arrayContaining(['signup', 'login', 'offers', 'submit', 'watch', 'logs', 'cancel', 'jobs']),
    )
    expect(names).toEqual(expect.arrayContaining(['balance', 'deposit', 'invoice', 'explain']))
    for (const name of names) {
      const text = await ok([name!, '--help'])
      expect(text, name).toMatch(/^Usage: idlegrid /)
      expect(text, name).toContain('Examples:')
    }
    const unknown = await idlegrid(['launch'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "launch"')
  })

  it('says how to log in before anything is saved', async () => {
    const run = await idlegrid(['balance'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('not logged in')
  })

  it('signs up, saving the URL and key readable by the owner only', async () => {
    const out = await ok(['signup', 'CLI Studio', '--url', cluster.gatewayUrl])
    expect(out).toContain('Created customer account')
    const path = join(home, 'config', 'idlegrid', 'config.json')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { url: string; apiKey: string }
    expect(saved.url).toBe(cluster.gatewayUrl)
    expect(saved.apiKey).toMatch(/^key_/)

    // login: a key piped in is checked, then saved; a wrong one is refused and not saved.
    const other = { XDG_CONFIG_HOME: join(home, 'other') }
    const wrong = await idlegrid(['login', '--url', cluster.gatewayUrl], {
      stdin: `key_00000000000000000000000000.${'x'.repeat(32)}\n`,
      env: other,
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('code: invalid_api_key (HTTP 401)')
    expect(() => statSync(join(home, 'other', 'idlegrid', 'config.json'))).toThrow()
    expect(
      await ok(['login', '--url', cluster.gatewayUrl], { stdin: `${saved.apiKey}\n`, env: other }),
    ).toMatch(/Logged in to \S+ as CLI Studio \(acct_[0-9a-z]{26}, a customer account\)/)
    expect(statSync(join(home, 'other', 'idlegrid', 'config.json')).mode & 0o777).toBe(0o600)
  })

  it('says which account and key it uses, and where the key came from', async () => {
    const keyId = (
      JSON.parse(readFileSync(join(home, 'config', 'idlegrid', 'config.json'), 'utf8')) as {
        apiKey: string
      }
    ).apiKey.split('.')[0]
    const me = await ok(['whoami'])
    expect(me).toMatch(/^Account +CLI Studio \(acct_[0-9a-z]{26}, a customer account\)$/m)
    expect(me).toMatch(
      new RegExp(`^API key +${keyId} \\(default, read and write\\), from the saved login$`, 'm'),
    )
    expect(me).toContain(`Gateway  ${cluster.gatewayUrl}`)
    expect(me).not.toMatch(/key_[0-9a-z]{26}\./)
    const json = JSON.parse(await ok(['whoami', '--json'])) as { role: string; key: { id: string } }
    expect(json).toMatchObject({ role: 'customer', key: { id: keyId } })
  })

  it('deposits and shows the balance', async () => {
    expect(await ok(['deposit', '10'])).toMatch(/Deposited \$10\.00[\s\S]*AVAILABLE[\s\S]*\$10\.00/)
    const balance = JSON.parse(await ok(['balance', '--json'])) as { availableMicros: number }
    expect(balance.availableMicros).toBe(10_000_000)
    // The options for every command may come before it, as in most command-line tools.
    expect(JSON.parse(await ok(['--json', 'balance']))).toEqual(balance)
    expect(JSON.parse(await ok(['--url', cluster.gatewayUrl, '--json', 'balance']))).toEqual(balance)
    const typo = await idlegrid(['--jsn', 'balance'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('unknown option "--jsn"')
    const dangling = await idlegrid(['--api-key'])
    expect(dangling.code).toBe(2)
    expect(dangling.stderr).toContain('--api-key must be followed by its value and a command')
    const bad = await idlegrid(['deposit', 'ten'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"ten" is not an amount of US dollars')
  })

  it('finds the node among the offers', async () => {
    const out = await ok(['offers', '--model', 'RTX4090', '--min-vram', '16'])
    expect(out).toContain(agent.nodeId())
    expect(out).toMatch(/NODE +REGION/)
  })

  it('submits job.yaml, watches it to success, then shows logs, invoice, explanation and the job list', async () => {
    const file = jobFile(
      'job.yaml',
      [
        'kind: training',
        'command: ["node", "-e", "console.log(\'hello from the cli\')"]',
        'gpus:',
        '  count: 1',
        '  models: [RTX4090]',
        'maxDurationS: 600',
        'metadata: {pipeline: cli-e2e}',
      ].join('\n'),
    )
    const submitted = await ok(['submit', file])
    const id = jobIdIn(submitted)
    expect(submitted).toContain(`Submitted ${id}`)

    const watched = await idlegrid(['watch', id])
    expect(watched.code, watched.stderr).toBe(0)
    expect(watched.stdout).toContain(`${id} succeeded`)
    expect(watched.stdout).toMatch(/charged \$[\d.]+, released \$[\d.]+ of \$[\d.]+ held/)

    expect(await ok(['logs', id])).toContain('hello from the cli')
    expect(await ok(['invoice', id])).toMatch(/charged +\$[\d.]+[\s\S]*released/)
    const explained = await ok(['explain', id])
    expect(explained).toContain(`${id}: placed on ${agent.nodeId()}`)
    // The best candidates, each with the GPUs it would have given the job.
    expect(explained).toMatch(new RegExp(`${agent.nodeId()} +\\[0\\] +\\d+\\.\\d +price=`))
    const list = await ok(['jobs'])
    expect(list).toMatch(new RegExp(`${id} +succeeded +training +1×RTX4090`))
    // Its labels find it again, and nothing else.
    expect(await ok(['jobs', '--metadata', 'pipeline:cli-e2e'])).toMatch(new RegExp(`^${id} `, 'm'))
    expect(await ok(['jobs', '--metadata', 'pipeline:other'])).toContain('No jobs match.')
    expect(await ok(['jobs', '--from', new Date(Date.now() - 3_600_000).toISOString()])).toMatch(
      new RegExp(`^${id} `, 'm'),
    )
    expect(await ok(['jobs', '--to', '2020-01-01'])).toContain('No jobs match.')
    expect((await idlegrid(['jobs', '--metadata', 'no-colon'])).code).toBe(2)

    // The account's statement: the deposit, the job's hold and what came back of it, in ledger order.
    const statement = await ok(['statement'])
    expect(statement).toMatch(/^Statement in USD, /)
    expect(statement).toMatch(/available +\$0\.00 +\$[\d.]+ +\$[\d.]+ +\$[\d.]+/)
    expect(statement).toMatch(/deposit[\s\S]*hold +\S*job[\s\S]*settlement_release/)
    const json = JSON.parse(await ok(['statement', '--json'])) as {
      accounts: { kind: string; closingMicros: number }[]
    }
    const { availableMicros } = JSON.parse(await ok(['balance', '--json'])) as { availableMicros: number }
    expect(json.accounts.find((a) => a.kind === 'available')?.closingMicros).toBe(availableMicros)

    // What it came to, by its label: one job, charged what its invoice says.
    const usage = await ok(['usage', '--by', 'metadata:pipeline'])
    expect(usage).toMatch(/^Jobs settled .+, by metadata "pipeline"/)
    expect(usage).toMatch(/^cli-e2e +USD +1 +\S+ +- +\$[\d.]+ +\$[\d.]+$/m)
    const { chargedMicros } = JSON.parse(await ok(['invoice', id, '--json'])) as { chargedMicros: number }
    const report = JSON.parse(await ok(['usage', '--by', 'metadata:pipeline', '--json'])) as {
      groups: { key: string | null; jobs: number; chargedMicros: number }[]
    }
    expect(report.groups.find((g) => g.key === 'cli-e2e')).toMatchObject({ jobs: 1, chargedMicros })
    const wrong = await idlegrid(['usage', '--by', 'week'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--by is one of day, month, kind, status or metadata:<key>')
  })

  it('cancels a long job; watch exits with 4 and says so', async () => {
    const file = jobFile(
      'long.yaml',
      'kind: training\ncommand: node -e "setTimeout(() => {}, 120000)"\ngpus: { count: 1 }\nmaxDurationS: 600\n',
    )
    const job = JSON.parse(await ok(['submit', file, '--json'])) as { id: string; status: string }
    expect(job.status).toBe('queued')
    const watching = start(['watch', job.id])
    await waitFor(() => watching.stdout().includes('running'), {
      timeoutMs: 120_000,
      what: 'watch showing running',
    })

    expect(await ok(['cancel', job.id])).toContain(`${job.id} cancelled`)
    const watched = await watching.done
    expect(watched.code, watched.stderr).toBe(4)
    expect(watched.stdout).toContain(`${job.id} was cancelled`)
  })

  it('schedules a job for later with --not-before, saying when it will be matched, and cancels it', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString()
    const file = jobFile('later.yaml', 'kind: render\ncommand: [true]\ngpus: 1\nmaxDurationS: 60\n')
    const submitted = await ok(['submit', file, '--not-before', at])
    expect(submitted).toContain(`scheduled: offered to matching from ${at} (notBefore)`)
    const id = /Submitted (job_[0-9a-z]{26})/.exec(submitted)?.[1]
    expect(await ok(['cancel', id!])).toContain(`${id} cancelled`)
  })

  it('caps its monthly spending: a job past the limit is refused, saying why; removed, the cap is gone', async () => {
    expect(await ok(['limits'])).toContain('No monthly spending limit')
    const set = await ok(['limits', 'set', '0.000001'])
    expect(set).toContain('Monthly limit in USD set to')
    expect(set).toMatch(/^USD +\S+ +\$[\d.]+ +\$[\d.]+ +\$0\.00 +- +\d{4}-\d{2}-01$/m)
    const file = jobFile(
      'capped.yaml',
      'kind: training\ncommand: [true]\ngpus: { count: 1 }\nmaxDurationS: 60\n',
    )
    const refused = await idlegrid(['submit', file])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('code: spend_limit_exceeded (HTTP 402)')
    expect(refused.stderr).toContain('monthly spending limit')
    const [limit] = JSON.parse(await ok(['limits', '--json'])) as {
      currency: string
      monthlyLimitMicros: number
    }[]
    expect(limit).toMatchObject({ currency: 'USD', monthlyLimitMicros: 1 })
    expect((await idlegrid(['limits', 'set', 'lots'])).code).toBe(2)
    const warned = await ok(['limits', 'set', '500', '--alert-at', '80'])
    expect(warned).toContain('Monthly limit in USD set to $500.00, with a warning at 80 %.')
    expect(warned).toMatch(/^USD +\$500\.00 .* 80% +\d{4}-\d{2}-01$/m)
    const badShare = await idlegrid(['limits', 'set', '500', '--alert-at', '100'])
    expect(badShare.code).toBe(2)
    expect(badShare.stderr).toContain('--alert-at must be a whole number from 1 to 99')
    expect(await ok(['limits', 'remove'])).toContain('Monthly limit in USD removed.')
    expect(await ok(['limits'])).toContain('No monthly spending limit')
    const again = await idlegrid(['limits', 'remove'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('code: spend_limit_not_found (HTTP 404)')
  })

  it('makes a read-only key that can read but not spend, then revokes it', async () => {
    const created = await ok(['keys', 'create', 'dashboard', '--read-only'])
    const secret = /^ {2}(key_\S+)$/m.exec(created)?.[1]
    const id = /Created read-only key (key_[0-9a-z]{26}) \(dashboard\)/.exec(created)?.[1]
    expect(secret, created).toBeDefined()
    expect(id, created).toBeDefined()
    expect(await ok(['keys'])).toMatch(new RegExp(`${id} +dashboard +read +\\S+ \\S+ +-`))
    const expiring = await ok(['keys', 'create', 'contractor', '--expires', '30d'])
    expect(expiring).toMatch(/Created key key_[0-9a-z]{26} \(contractor\), expiring \d{4}-\d{2}-\d{2} /)
    expect(await ok(['keys'])).toMatch(/ contractor +write +\S+ \S+ +- +\d{4}-\d{2}-\d{2} \S+$/m)
    expect((await idlegrid(['keys', 'create', 'x', '--expires', 'soon'])).code).toBe(2)

    const withKey = (args: string[]) => idlegrid(['--api-key', secret!, ...args])
    expect((await withKey(['balance'])).code).toBe(0)
    expect((await withKey(['whoami'])).stdout).toMatch(
      new RegExp(`^API key +${id} \\(dashboard, read-only\\), from --api-key$`, 'm'),
    )
    expect((await idlegrid(['whoami'], { env: { IDLEGRID_API_KEY: secret! } })).stdout).toContain(
      'read-only), from IDLEGRID_API_KEY',
    )
    const spend = await withKey(['deposit', '1'])
    expect(spend.code).toBe(1)
    expect(spend.stderr).toMatch(/\(HTTP 403\)/)

    expect(await ok(['keys', 'revoke', id!])).toContain(`Revoked key ${id} (dashboard)`)
    const refused = await withKey(['balance'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/\(HTTP 401\)/)
    // The saved login's own key still works.
    expect((await idlegrid(['balance'])).code).toBe(0)
  })

  it('adds a webhook (its secret shown once), lists it, tests it, shows its deliveries and removes it', async () => {
    // Nothing listens there.
    const hook = `http://127.0.0.1:${await freePort()}/ci-hook`
    const added = await ok(['webhooks', 'add', hook, '--events', 'job.settled'])
    const id = new RegExp(`Added webhook (whe_[0-9a-z]{26}) for ${hook} \\(job\\.settled\\)`).exec(added)?.[1]
    expect(id, added).toBeDefined()
    expect(added).toMatch(/^ {2}whsec_\S+$/m)
    const listed = await ok(['webhooks'])
    expect(listed).toMatch(new RegExp(`${id} +${hook} +job\\.settled +.+ +enabled$`, 'm'))
    expect(listed).not.toContain('whsec_')
    // Paused and resumed by its owner.
    expect(await ok(['webhooks', 'disable', id!])).toContain(
      `Webhook ${id} is disabled (disabled by its owner); nothing is sent to it.`,
    )
    expect(await ok(['webhooks'])).toMatch(new RegExp(`${id} .+ disabled: disabled by its owner$`, 'm'))
    expect(await ok(['webhooks', 'enable', id!])).toContain(
      `Webhook ${id} is told of events again from now on.`,
    )
    expect(await ok(['webhooks', 'events', id!, '--events', 'job.settled,node.offline'])).toContain(
      `Webhook ${id} is told of job.settled, node.offline from now on.`,
    )
    // The test event is not delivered, and the exit code says so.
    const tested = await idlegrid(['webhooks', 'test', id!])
    expect(tested.code).toBe(1)
    expect(tested.stdout).toMatch(/Not delivered \(evt_[0-9a-z]{26}\): could not connect: ECONNREFUSED/)
    expect(await ok(['webhooks', 'deliveries', id!])).toMatch(
      /evt_[0-9a-z]{26} +webhook\.test +failed +1 +could not connect: ECONNREFUSED/,
    )
    const rolled = await ok(['webhooks', 'roll-secret', id!, '--previous-for', '0'])
    expect(rolled).toContain(`Rolled the secret of webhook ${id}; the old one also signs until`)
    expect(rolled).toMatch(/^ {2}whsec_\S+$/m)
    const unknownEvent = await idlegrid(['webhooks', 'add', 'http://127.0.0.1:9/x', '--events', 'job.done'])
    expect(unknownEvent.code).toBe(2)
    expect(unknownEvent.stderr).toContain(
      '--events is a comma-separated list of job.settled, job.running, job.requeued, job.refunded, node.offline, node.online',
    )
    expect(await ok(['webhooks', 'remove', id!])).toContain(`Removed webhook ${id}`)
    expect(await ok(['webhooks'])).toContain('No webhooks.')
    const bad = await idlegrid(['webhooks', 'add', 'ftp://x'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('field: body.url')
  })

  it('prints the problem, its code and hints, and exits non-zero', async () => {
    const impossible = jobFile(
      'h100.yaml',
      'kind: training\ncommand: [true]\ngpus: { count: 1, models: [H100] }\nmaxDurationS: 60\n',
    )
    const refused = await idlegrid(['submit', impossible])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('code: unsatisfiable (HTTP 422)')
    expect(refused.stderr).toMatch(/1 node\(s\): /)
    expect(refused.stderr).toContain('hint: ')

    const invalid = await idlegrid([
      'submit',
      jobFile('zero.yaml', 'kind: training\ncommand: [true]\ngpus: { count: 0 }\nmaxDurationS: 60\n'),
    ])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('in zero.yaml: gpus.count')
    expect(invalid.stderr).toContain('field: body.gpus.count')

    const broken = await idlegrid(['submit', jobFile('broken.yaml', 'kind: training\ncommand: [true\n')])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+: /)

    const missing = await idlegrid(['watch', 'job_00000000000000000000000000'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('code: job_not_found (HTTP 404)')
  })
})
