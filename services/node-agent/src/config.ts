import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { address, ConfigError, type Field, int, loadConfig, oneOf, str } from '@idlegrid/config'
import type { AgentConfig } from './agent.js'
import { fileSetting, readConfigFile } from './config-file.js'
import { CONTAINER_RUNTIME_CHOICES } from './container.js'
import { parseCountry } from './country.js'
import { type NodeCredential, parseNodeToken } from './credential.js'
import { usdToMicros } from './price.js'
import { parseSimulatedGpus, type SimulatedGpuGroup } from './simulated-gpus.js'
import { checkTlsFiles, type TlsFiles } from './tls.js'

/**
 * The agent's settings come from flags, environment variables and a JSON
 * config file, in that order of precedence, then the defaults. Every problem
 * is reported at once, named the way the owner set it: the flag, the
 * variable, or the config file and key.
 */
export type CliConfig = AgentConfig & {
  logLevel: string
  /** auto: lines for people on a terminal, JSON otherwise (a service manager, a pipe). */
  logFormat: (typeof LOG_FORMATS)[number]
  shutdownTimeoutMs: number
  /** The config file that was read, if any. */
  configFile?: string | undefined
}

export type ParsedCommandLine = { kind: 'run'; config: CliConfig } | { kind: 'help' } | { kind: 'version' }

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export const LOG_FORMATS = ['auto', 'text', 'json'] as const

const field = <T>(description: string, parse: (raw: string | undefined) => T): Field<T> => ({
  description,
  parse,
})
const optional = (description: string) => field(description, (raw) => raw)
const mbps = (description: string) => int(description, 0, { min: 0, max: 1_000_000 })

const spec = {
  IDLEGRID_NODE_TOKEN: field<NodeCredential>('the node token from enrolling this machine', (raw) => {
    if (raw === undefined)
      throw new Error('is required: enrol the node (idlegrid nodes add <name>, or POST /v1/nodes)')
    return parseNodeToken(raw)
  }),
  IDLEGRID_REGISTRY: address('registry gRPC address', '127.0.0.1:50051'),
  IDLEGRID_PROVIDER: str('your provider id (informational; the token decides)', ''),
  IDLEGRID_REGION: str('region label customers filter on', 'local'),
  IDLEGRID_COUNTRY: field('ISO 3166-1 alpha-2 country', (raw) => parseCountry(raw ?? '')),
  IDLEGRID_PRICE_PER_GPU_HOUR: field('asking price per GPU-hour in USD', (raw) => usdToMicros(raw ?? '0.50')),
  IDLEGRID_SIMULATE_GPUS: field<SimulatedGpuGroup[] | undefined>('GPUs to declare', (raw) =>
    raw === undefined ? undefined : parseSimulatedGpus(raw),
  ),
  IDLEGRID_NODE_NAME: str('name this machine is listed under', hostname()),
  IDLEGRID_BANDWIDTH_UP_MBPS: mbps('measured upload bandwidth'),
  IDLEGRID_BANDWIDTH_DOWN_MBPS: mbps('measured download bandwidth'),
  IDLEGRID_TLS_CA: optional('CA bundle of the registry certificate'),
  IDLEGRID_TLS_CERT: optional('client certificate for mutual TLS'),
  IDLEGRID_TLS_KEY: optional('client key for mutual TLS'),
  IDLEGRID_STATE_DIR: field('state directory', (raw) =>
    expandHome(raw ?? join(homedir(), '.idlegrid-agent')),
  ),
  IDLEGRID_CONTAINER_RUNTIME: oneOf('container runtime', CONTAINER_RUNTIME_CHOICES, 'auto'),
  LOG_LEVEL: oneOf('log level', LOG_LEVELS, 'info'),
  LOG_FORMAT: oneOf('log format', LOG_FORMATS, 'auto'),
  SHUTDOWN_TIMEOUT_MS: int('force exit after this long on SIGTERM', 15_000, { min: 100 }),
}

/** Flag (and config file key) → the variable it sets. */
export const flagVariables = {
  token: 'IDLEGRID_NODE_TOKEN',
  registry: 'IDLEGRID_REGISTRY',
  provider: 'IDLEGRID_PROVIDER',
  region: 'IDLEGRID_REGION',
  country: 'IDLEGRID_COUNTRY',
  'price-per-gpu-hour': 'IDLEGRID_PRICE_PER_GPU_HOUR',
  'simulate-gpus': 'IDLEGRID_SIMULATE_GPUS',
  'node-name': 'IDLEGRID_NODE_NAME',
  'bandwidth-up-mbps': 'IDLEGRID_BANDWIDTH_UP_MBPS',
  'bandwidth-down-mbps': 'IDLEGRID_BANDWIDTH_DOWN_MBPS',
  'tls-ca': 'IDLEGRID_TLS_CA',
  'tls-cert': 'IDLEGRID_TLS_CERT',
  'tls-key': 'IDLEGRID_TLS_KEY',
  'state-dir': 'IDLEGRID_STATE_DIR',
  'container-runtime': 'IDLEGRID_CONTAINER_RUNTIME',
  'log-level': 'LOG_LEVEL',
  'log-format': 'LOG_FORMAT',
} as const satisfies Record<string, keyof typeof spec>

type Flag = keyof typeof flagVariables
type Source = { kind: 'flag'; flag: Flag } | { kind: 'file'; path: string; key: string }

/** Parses argv, env and the config file; throws ConfigError naming every bad setting. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCommandLine {
  const flagOptions = Object.fromEntries(
    [...Object.keys(flagVariables), 'config'].map((flag) => [flag, { type: 'string' as const }]),
  ) as Record<Flag | 'config', { type: 'string' }>
  let values: Partial<Record<Flag | 'config' | 'help' | 'version', string | boolean>>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        ...flagOptions,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (err) {
    throw new ConfigError([{ variable: 'command line', problem: (err as Error).message }])
  }
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const merged: NodeJS.ProcessEnv = {}
  const sources = new Map<string, Source>()
  const configFile = typeof values.config === 'string' ? values.config : env.IDLEGRID_CONFIG || undefined
  if (configFile) {
    for (const [key, value] of readConfigFile(configFile, Object.keys(flagVariables))) {
      const variable = flagVariables[key as Flag]
      merged[variable] = value
      sources.set(variable, { kind: 'file', path: configFile, key })
    }
  }
  for (const variable of Object.keys(spec)) {
    const value = env[variable]
    if (value === undefined || value === '') continue
    merged[variable] = value
    sources.delete(variable)
  }
  for (const [flag, variable] of Object.entries(flagVariables) as [Flag, string][]) {
    const value = values[flag]
    if (typeof value !== 'string') continue
    merged[variable] = value
    sources.set(variable, { kind: 'flag', flag })
  }

  const name = (variable: string) => nameSetting(variable, sources.get(variable))
  const tls: TlsFiles = {
    ca: merged.IDLEGRID_TLS_CA,
    cert: merged.IDLEGRID_TLS_CERT,
    key: merged.IDLEGRID_TLS_KEY,
  }
  const tlsVariables = { ca: 'IDLEGRID_TLS_CA', cert: 'IDLEGRID_TLS_CERT', key: 'IDLEGRID_TLS_KEY' } as const
  const problems = checkTlsFiles(tls).map(({ setting, problem }) => ({
    variable: name(tlsVariables[setting]),
    problem,
  }))
  let loaded: ReturnType<typeof loadConfig<typeof spec>> | undefined
  try {
    loaded = loadConfig(spec, merged)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems.unshift(...err.problems.map((p) => ({ ...p, variable: name(p.variable) })))
  }
  if (!loaded || problems.length > 0) throw new ConfigError(problems)
  return {
    kind: 'run',
    config: {
      registry: loaded.IDLEGRID_REGISTRY,
      token: loaded.IDLEGRID_NODE_TOKEN.token,
      providerId: loaded.IDLEGRID_PROVIDER,
      region: loaded.IDLEGRID_REGION,
      country: loaded.IDLEGRID_COUNTRY,
      pricePerGpuHourMicros: loaded.IDLEGRID_PRICE_PER_GPU_HOUR,
      simulateGpus: loaded.IDLEGRID_SIMULATE_GPUS,
      nodeName: loaded.IDLEGRID_NODE_NAME,
      bandwidthUpMbps: loaded.IDLEGRID_BANDWIDTH_UP_MBPS,
      bandwidthDownMbps: loaded.IDLEGRID_BANDWIDTH_DOWN_MBPS,
      tls,
      stateDir: loaded.IDLEGRID_STATE_DIR,
      containerRuntime: loaded.IDLEGRID_CONTAINER_RUNTIME,
      logLevel: loaded.LOG_LEVEL,
      logFormat: loaded.LOG_FORMAT,
      shutdownTimeoutMs: loaded.SHUTDOWN_TIMEOUT_MS,
      configFile,
    },
  }
}

function nameSetting(variable: string, source: Source | undefined): string {
  if (source?.kind === 'flag') return `--${source.flag}`
  if (source?.kind === 'file') return fileSetting(source.path, source.key)
  const flag = Object.entries(flagVariables).find(([, v]) => v === variable)?.[0]
  return flag ? `${variable} (or --${flag})` : variable
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}
