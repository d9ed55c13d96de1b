import { ConfigError } from '@idlegrid/config'
import { createLogger } from '@idlegrid/telemetry'
import { AGENT_VERSION, createAgent } from './agent.js'
import { parseCommandLine } from './config.js'
import { parseNodeToken } from './credential.js'
import { NoGpusError } from './inventory.js'
import { microsToUsd } from './price.js'
import { StateDirError } from './state-store.js'
import { tlsMode } from './tls.js'
import { usage } from './usage.js'

/**
 * Exit code for bad flags or variables, an unusable state directory or a
 * machine without GPUs, so wrappers can tell "fix your setup" from a crash.
 */
const EXIT_BAD_CONFIG = 2

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>
  try {
    parsed = parseCommandLine(process.argv.slice(2), process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n\nRun idlegrid-agent --help for the flags and an example.\n`)
    process.exit(EXIT_BAD_CONFIG)
  }
  if (parsed.kind === 'help') {
    process.stdout.write(usage)
    return
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${AGENT_VERSION}\n`)
    return
  }

  const { config } = parsed
  const textLogs = config.logFormat === 'text' || (config.logFormat === 'auto' && process.stdout.isTTY)
  const logger = createLogger('node-agent', config.logLevel, textLogs ? 'text' : 'json')
  const agent = createAgent(config, { logger })

  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping: ending running jobs and closing the registry stream')
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; forcing exit')
      process.exit(1)
    }, config.shutdownTimeoutMs).unref()
    agent.stop().then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)

  logger.info(
    {
      nodeId: parseNodeToken(config.token).nodeId,
      nodeName: config.nodeName,
      region: config.region,
      country: config.country || undefined,
      registry: config.registry,
      connection: tlsMode(config.tls),
      stateDir: config.stateDir,
      configFile: config.configFile,
      pricePerGpuHourUsd: microsToUsd(config.pricePerGpuHourMicros),
      version: AGENT_VERSION,
    },
    'idlegrid node agent starting',
  )
  try {
    await agent.start()
  } catch (err) {
    if (!(err instanceof StateDirError || err instanceof NoGpusError)) throw err
    logger.fatal(err.message)
    process.stderr.write(`${err.message}\n`)
    process.exit(EXIT_BAD_CONFIG)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`idlegrid-agent failed to start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
