import { hostname } from 'node:os'
import { ConfigError } from '@idlegrid/config'
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../src/config.js'

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parseCommandLine(argv, env)
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`)
  return parsed.config
}

const problems = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseCommandLine(argv, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable}: ${p.problem}`)
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('parseCommandLine', () => {
  it('uses the defaults when only the provider is given', () => {
    expect(run(['--provider', 'prov_1'])).toMatchObject({
      providerId: 'prov_1',
      registry: '127.0.0.1:50051',
      region: 'local',
      pricePerGpuHourMicros: '500000',
      nodeName: hostname(),
      simulateGpus: undefined,
      logLevel: 'info',
    })
  })

  it('reads every setting from the environment', () => {
    const config = run([], {
      IDLEGRID_PROVIDER: 'prov_env',
      IDLEGRID_REGISTRY: 'registry.internal:7000',
      IDLEGRID_REGION: 'eu-west',
      IDLEGRID_PRICE_PER_GPU_HOUR: '1.25',
      IDLEGRID_SIMULATE_GPUS: '1xH100:80',
      IDLEGRID_NODE_NAME: 'rig-7',
      LOG_LEVEL: 'debug',
    })
    expect(config).toMatchObject({
      providerId: 'prov_env',
      registry: 'registry.internal:7000',
      region: 'eu-west',
      pricePerGpuHourMicros: '1250000',
      simulateGpus: [{ count: 1, model: 'H100', vramGib: 80 }],
      nodeName: 'rig-7',
      logLevel: 'debug',
    })
  })

  it('lets flags override the environment', () => {
    const config = run(
      [
        '--provider',
        'prov_flag',
        '--price-per-gpu-hour',
        '0.45',
        '--region',
        'us-east',
        '--simulate-gpus',
        '2xRTX4090:24',
      ],
      { IDLEGRID_PROVIDER: 'prov_env', IDLEGRID_PRICE_PER_GPU_HOUR: '9', IDLEGRID_REGION: 'eu-west' },
    )
    expect(config).toMatchObject({
      providerId: 'prov_flag',
      pricePerGpuHourMicros: '450000',
      region: 'us-east',
      simulateGpus: [{ count: 2, model: 'RTX4090', vramGib: 24 }],
    })
  })

  it('names the flag when a flag is wrong and the variable when a variable is wrong', () => {
    expect(problems(['--price-per-gpu-hour', 'cheap'], { IDLEGRID_REGISTRY: 'nohost' })).toEqual([
      'IDLEGRID_REGISTRY (or --registry): must be host:port, got "nohost"',
      expect.stringMatching(/^IDLEGRID_PROVIDER \(or --provider\): is required/),
      '--price-per-gpu-hour: must be a price in US dollars such as 0.45, got "cheap"',
    ])
  })

  it('names --simulate-gpus when its spec is malformed', () => {
    expect(problems(['--provider', 'p', '--simulate-gpus', '2xRTX4090'])).toEqual([
      expect.stringMatching(/^--simulate-gpus: entry "2xRTX4090" must look like COUNTxMODEL:VRAM_GIB/),
    ])
  })

  it('rejects unknown flags and stray arguments', () => {
    expect(problems(['--provider', 'p', '--gpus', '4'])).toEqual([
      expect.stringContaining("Unknown option '--gpus'"),
    ])
    expect(problems(['--provider', 'p', 'extra'])).toEqual([expect.stringContaining("'extra'")])
  })

  it('recognises --help and --version before validating anything', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['-h', '--price-per-gpu-hour', 'x'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' })
  })
})
