import { hostname } from 'node:os'
import { parseArgs } from 'node:util'
import { address, ConfigError, type Field, int, loadConfig, oneOf, str } from '@idlegrid/config'
import type { AgentConfig } from './agent.js'
import { usdToMicros } from './price.js'
import { parseSimulatedGpus, SIMULATE_GPUS_EXAMPLE, type SimulatedGpuGroup } from './simulated-gpus.js'

/**
 * The agent's settings come from flags or environment variables; a flag wins
 * over its variable. Every problem is reported at once, named the way the
 * owner set it (the flag if given on the command line, else the variable).
 */
export type CliConfig = AgentConfig & {
  logLevel: string
  shutdownTimeoutMs: number
}

export type ParsedCommandLine = { kind: 'run'; config: CliConfig } | { kind: 'help' } | { kind: 'version' }

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const price: Field<string> = {
  description: 'asking price per GPU-hour in USD',
  parse: (raw) => usdToMicros(raw ?? '0.50'),
}

const simulatedGpuSpec: Field<SimulatedGpuGroup[] | undefined> = {
  description: 'GPUs to declare instead of detecting them',
  parse: (raw) => (raw === undefined ? undefined : parseSimulatedGpus(raw)),
}

const spec = {
  IDLEGRID_REGISTRY: address('registry gRPC address', '127.0.0.1:50051'),
  IDLEGRID_PROVIDER: str('your provider id, shown in the Idlegrid console'),
  IDLEGRID_REGION: str('region label customers filter on', 'local'),
  IDLEGRID_PRICE_PER_GPU_HOUR: price,
  IDLEGRID_SIMULATE_GPUS: simulatedGpuSpec,
  IDLEGRID_NODE_NAME: str('name this machine is listed under', hostname()),
  LOG_LEVEL: oneOf('log level', LOG_LEVELS, 'info'),
  SHUTDOWN_TIMEOUT_MS: int('force exit after this long on SIGTERM', 15_000, { min: 100 }),
}

/** Flag → the variable it overrides. */
const flagVariables = {
  registry: 'IDLEGRID_REGISTRY',
  provider: 'IDLEGRID_PROVIDER',
  region: 'IDLEGRID_REGION',
  'price-per-gpu-hour': 'IDLEGRID_PRICE_PER_GPU_HOUR',
  'simulate-gpus': 'IDLEGRID_SIMULATE_GPUS',
  'node-name': 'IDLEGRID_NODE_NAME',
  'log-level': 'LOG_LEVEL',
} as const satisfies Record<string, keyof typeof spec>

type Flag = keyof typeof flagVariables

export const usage = `idlegrid-agent: rent out this machine's GPUs on the Idlegrid marketplace.

The agent detects your NVIDIA GPUs (with nvidia-smi), registers them with the
Idlegrid registry, and runs the jobs customers are matched to as ordinary
processes limited to the GPUs they paid for. Leave it running; stop it with
Ctrl-C (running jobs are stopped and reported).

Usage: idlegrid-agent --provider <id> [options]

Options (each can also be set by the environment variable shown):
  --provider <id>               Your provider id; earnings go to it. Required.
                                [IDLEGRID_PROVIDER]
  --registry <host:port>        The registry to connect to.
                                [IDLEGRID_REGISTRY, default 127.0.0.1:50051]
  --price-per-gpu-hour <usd>    Your asking price per GPU per hour, in US dollars,
                                up to 6 decimals (0.45 = 45 cents).
                                [IDLEGRID_PRICE_PER_GPU_HOUR, default 0.50]
  --region <name>               Where the machine is, e.g. eu-west; customers can
                                ask for a region. [IDLEGRID_REGION, default local]
  --node-name <name>            Name the machine is listed under.
                                [IDLEGRID_NODE_NAME, default the hostname]
  --simulate-gpus <spec>        Declare GPUs instead of detecting them, for testing
                                without NVIDIA hardware: COUNTxMODEL:VRAM_GIB, comma
                                separated, e.g. "${SIMULATE_GPUS_EXAMPLE}". Jobs still
                                run for real. [IDLEGRID_SIMULATE_GPUS]
  --log-level <level>           ${LOG_LEVELS.join(', ')}.
                                [LOG_LEVEL, default info]
  -h, --help                    Show this help.
  -v, --version                 Show the agent version.

Example:
  idlegrid-agent --provider prov_123 --registry registry.idlegrid.example:50051 \\
    --price-per-gpu-hour 0.45 --region eu-west
`

/** Parses argv and env; throws ConfigError naming every bad flag or variable. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCommandLine {
  const options = Object.fromEntries(
    Object.keys(flagVariables).map((flag) => [flag, { type: 'string' as const }]),
  ) as Record<Flag, { type: 'string' }>
  let values: Partial<Record<Flag | 'help' | 'version', string | boolean>>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        ...options,
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

  const merged: NodeJS.ProcessEnv = { ...env }
  const fromFlag = new Map<string, Flag>()
  for (const [flag, variable] of Object.entries(flagVariables) as [Flag, string][]) {
    const value = values[flag]
    if (typeof value === 'string') {
      merged[variable] = value
      fromFlag.set(variable, flag)
    }
  }
  let loaded: ReturnType<typeof loadConfig<typeof spec>>
  try {
    loaded = loadConfig(spec, merged)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    throw new ConfigError(err.problems.map((p) => ({ ...p, variable: nameSetting(p.variable, fromFlag) })))
  }
  return {
    kind: 'run',
    config: {
      registry: loaded.IDLEGRID_REGISTRY,
      providerId: loaded.IDLEGRID_PROVIDER,
      region: loaded.IDLEGRID_REGION,
      pricePerGpuHourMicros: loaded.IDLEGRID_PRICE_PER_GPU_HOUR,
      simulateGpus: loaded.IDLEGRID_SIMULATE_GPUS,
      nodeName: loaded.IDLEGRID_NODE_NAME,
      logLevel: loaded.LOG_LEVEL,
      shutdownTimeoutMs: loaded.SHUTDOWN_TIMEOUT_MS,
    },
  }
}

function nameSetting(variable: string, fromFlag: Map<string, Flag>): string {
  const flag = fromFlag.get(variable)
  if (flag) return `--${flag}`
  const flagFor = Object.entries(flagVariables).find(([, v]) => v === variable)?.[0]
  return flagFor ? `${variable} (or --${flagFor})` : variable
}
