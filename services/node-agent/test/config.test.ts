import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '@idlegrid/config'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCommandLine } from '../src/config.js'
import { nodeToken } from './support/tokens.js'

const { nodeId, token } = nodeToken()
const dir = mkdtempSync(join(tmpdir(), 'idlegrid-agent-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (argv: string[], env: NodeJS.ProcessEnv = { IDLEGRID_NODE_TOKEN: token }) => {
  const parsed = parseCommandLine(argv, env)
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`)
  return parsed.config
}

const problems = (argv: string[], env: NodeJS.ProcessEnv = { IDLEGRID_NODE_TOKEN: token }) => {
  try {
    parseCommandLine(argv, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable}: ${p.problem}`)
    throw err
  }
  throw new Error('expected a ConfigError')
}

let files = 0
const file = (content: string, name = `file-${++files}`) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('parseCommandLine', () => {
  it('needs only the token; everything else has a default', () => {
    expect(run(['--token', token], {})).toMatchObject({
      token,
      providerId: '',
      registry: '127.0.0.1:50051',
      region: 'local',
      country: '',
      pricePerGpuHourMicros: '500000',
      nodeName: hostname(),
      simulateGpus: undefined,
      bandwidthUpMbps: 0,
      bandwidthDownMbps: 0,
      tls: { ca: undefined, cert: undefined, key: undefined },
      stateDir: join(homedir(), '.idlegrid-agent'),
      containerRuntime: 'auto',
      logLevel: 'info',
      logFormat: 'auto',
    })
  })

  it('reads every setting from the environment', () => {
    const config = run([], {
      IDLEGRID_NODE_TOKEN: token,
      IDLEGRID_PROVIDER: 'prov_env',
      IDLEGRID_REGISTRY: 'registry.internal:7000',
      IDLEGRID_REGION: 'eu-west',
      IDLEGRID_COUNTRY: 'nl',
      IDLEGRID_PRICE_PER_GPU_HOUR: '1.25',
      IDLEGRID_SIMULATE_GPUS: '1xH100:80',
      IDLEGRID_NODE_NAME: 'rig-7',
      IDLEGRID_BANDWIDTH_UP_MBPS: '500',
      IDLEGRID_BANDWIDTH_DOWN_MBPS: '1000',
      IDLEGRID_STATE_DIR: '~/agent-state',
      IDLEGRID_CONTAINER_RUNTIME: 'podman',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    })
    expect(config).toMatchObject({
      providerId: 'prov_env',
      registry: 'registry.internal:7000',
      region: 'eu-west',
      country: 'NL',
      pricePerGpuHourMicros: '1250000',
      simulateGpus: [{ count: 1, model: 'H100', vramGib: 80 }],
      nodeName: 'rig-7',
      bandwidthUpMbps: 500,
      bandwidthDownMbps: 1000,
      stateDir: join(homedir(), 'agent-state'),
      containerRuntime: 'podman',
      logLevel: 'debug',
      logFormat: 'json',
    })
  })

  it('lets flags override the environment', () => {
    const config = run(
      ['--price-per-gpu-hour', '0.45', '--region', 'us-east', '--simulate-gpus', '2xRTX4090:24'],
      {
        IDLEGRID_NODE_TOKEN: token,
        IDLEGRID_PRICE_PER_GPU_HOUR: '9',
        IDLEGRID_REGION: 'eu-west',
      },
    )
    expect(config).toMatchObject({
      pricePerGpuHourMicros: '450000',
      region: 'us-east',
      simulateGpus: [{ count: 2, model: 'RTX4090', vramGib: 24 }],
    })
  })

  it('names the flag when a flag is wrong and the variable when a variable is wrong', () => {
    expect(problems(['--price-per-gpu-hour', 'cheap'], { IDLEGRID_REGISTRY: 'nohost' })).toEqual([
      expect.stringMatching(
        /^IDLEGRID_NODE_TOKEN \(or --token\): is required: enrol the node \(idlegrid nodes add <name>, or POST \/v1\/nodes\)/,
      ),
      'IDLEGRID_REGISTRY (or --registry): must be host:port, got "nohost"',
      '--price-per-gpu-hour: must be a price in US dollars such as 0.45, got "cheap"',
    ])
  })

  it('names --log-format and its choices when it is none of them', () => {
    expect(problems(['--token', token, '--log-format', 'pretty'], {})).toEqual([
      expect.stringMatching(/^--log-format: .*auto, text, json.*"pretty"/),
    ])
  })

  it('names --simulate-gpus when its spec is malformed', () => {
    expect(problems(['--simulate-gpus', '2xRTX4090'])).toEqual([
      expect.stringMatching(/^--simulate-gpus: entry "2xRTX4090" must look like COUNTxMODEL:VRAM_GIB/),
    ])
  })

  it('rejects unknown flags and stray arguments', () => {
    expect(problems(['--gpus', '4'])).toEqual([expect.stringContaining("Unknown option '--gpus'")])
    expect(problems(['extra'])).toEqual([expect.stringContaining("'extra'")])
  })

  it('recognises --help and --version before validating anything', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['-h', '--price-per-gpu-hour', 'x'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' })
  })
})

describe('--token', () => {
  it.each([
    ['not-a-token', 'it must start with the node id'],
    [`${nodeId}`, 'its secret part'],
    [`${nodeId}.short`, 'its secret part (after the dot) must be 32 to 64 characters'],
    [`node_ABC.${'x'.repeat(40)}`, 'it must start with the node id: node_ followed by 26 characters'],
  ])('refuses %j without repeating the secret', (bad, hint) => {
    const [problem] = problems(['--token', bad], {})
    expect(problem).toMatch(/^--token: is not a node token \(<node id>\.<secret>/)
    expect(problem).toContain(hint)
    if (bad.includes('.')) expect(problem).not.toContain(bad.split('.')[1])
  })
})

describe('--country and bandwidth', () => {
  it('takes ISO 3166-1 alpha-2 codes in any case', () => {
    expect(run(['--country', 'de']).country).toBe('DE')
  })

  it.each([
    ['UK', 'the United Kingdom is GB'],
    ['NLD', 'ISO 3166-1 alpha-2 country code such as NL'],
    ['XX', 'got "XX"'],
  ])('refuses %j', (bad, problem) => {
    expect(problems(['--country', bad])).toEqual([expect.stringContaining(`--country: must be `)])
    expect(problems(['--country', bad])[0]).toContain(problem)
  })

  it('refuses a negative or fractional bandwidth', () => {
    expect(problems(['--bandwidth-up-mbps=-5', '--bandwidth-down-mbps', '1.5'])).toEqual([
      expect.stringMatching(/^--bandwidth-up-mbps: must be ≥ 0/),
      expect.stringMatching(/^--bandwidth-down-mbps: must be an integer/),
    ])
  })
})

describe('TLS settings', () => {
  const pem = file('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'some.pem')

  it('takes a CA alone (TLS) or a CA, certificate and key (mutual TLS)', () => {
    expect(run(['--tls-ca', pem]).tls).toEqual({ ca: pem, cert: undefined, key: undefined })
    expect(run(['--tls-ca', pem, '--tls-cert', pem, '--tls-key', pem]).tls).toEqual({
      ca: pem,
      cert: pem,
      key: pem,
    })
  })

  it('names the flag when a certificate comes without its key, or the other way round', () => {
    expect(problems(['--tls-ca', pem, '--tls-cert', pem])).toEqual([
      '--tls-cert: needs the client key too (--tls-key)',
    ])
    expect(problems([], { IDLEGRID_NODE_TOKEN: token, IDLEGRID_TLS_KEY: pem })).toEqual([
      'IDLEGRID_TLS_KEY (or --tls-key): needs the client certificate too (--tls-cert)',
    ])
  })

  it('names the flag of a file that is missing or not PEM', () => {
    expect(
      problems(['--tls-ca', join(dir, 'nope.pem'), '--tls-cert', file('hello'), '--tls-key', pem]),
    ).toEqual([
      `--tls-ca: cannot read "${join(dir, 'nope.pem')}": ENOENT`,
      expect.stringMatching(/^--tls-cert: ".*" is not a PEM file/),
    ])
  })
})

describe('--config file', () => {
  it('reads settings keyed by flag name; flag > environment > file > default', () => {
    const path = file(
      JSON.stringify({
        token,
        registry: 'file.example:1',
        region: 'file-region',
        'simulate-gpus': '2xRTX4090:24',
        'bandwidth-up-mbps': 250,
        'price-per-gpu-hour': '0.70',
      }),
    )
    const config = run(['--config', path, '--region', 'flag-region'], {
      IDLEGRID_REGISTRY: 'env.example:2',
      IDLEGRID_REGION: 'env-region',
    })
    expect(config).toMatchObject({
      token,
      registry: 'env.example:2',
      region: 'flag-region',
      simulateGpus: [{ count: 2, model: 'RTX4090', vramGib: 24 }],
      bandwidthUpMbps: 250,
      pricePerGpuHourMicros: '700000',
      country: '',
      configFile: path,
    })
    expect(run([], { IDLEGRID_CONFIG: path }).registry).toBe('file.example:1')
  })

  it('names the file and the key of a bad value', () => {
    const path = file(JSON.stringify({ token, country: 'Netherlands', 'tls-cert': '/etc/cert.pem' }))
    expect(problems(['--config', path], {})).toEqual([
      expect.stringMatching(new RegExp(`^config file ${path}, key "country": must be an ISO 3166-1 alpha-2`)),
      `config file ${path}, key "tls-cert": needs the client key too (--tls-key)`,
      `config file ${path}, key "tls-cert": cannot read "/etc/cert.pem": ENOENT`,
    ])
  })

  it('names the file and the key it does not know', () => {
    const path = file(JSON.stringify({ token, '--region': 'eu', gpus: 4, region: ['eu'] }))
    expect(problems(['--config', path], {})).toEqual([
      `config file ${path}, key "--region": is not a setting the agent knows; write it without dashes: "region"`,
      `config file ${path}, key "gpus": is not a setting the agent knows`,
      `config file ${path}, key "region": must be a string or a number, got ["eu"]`,
    ])
  })

  it('names the file when it is missing or not a JSON object', () => {
    const missing = join(dir, 'missing.json')
    expect(problems(['--config', missing], {})).toEqual([`config file ${missing}: does not exist`])
    const broken = file('{"token": ')
    expect(problems(['--config', broken], {})).toEqual([
      expect.stringMatching(new RegExp(`^config file ${broken}: is not valid JSON`)),
    ])
    const list = file('["token"]')
    expect(problems(['--config', list], {})).toEqual([
      expect.stringMatching(new RegExp(`^config file ${list}: must be a JSON object`)),
    ])
  })
})
