import { ConfigError } from '@idlegrid/config'
import { createLogger, type Logger, startTelemetry } from '@idlegrid/telemetry'

/** Every service is a library with this lifecycle; main.ts only wires it to the process. */
export interface Service {
  start(): Promise<void>
  /** Stops intake first, then queues, then the database; resolves when every handle is closed. */
  stop(): Promise<void>
}

export interface MainOptions<C> {
  name: string
  loadConfig: () => C
  create: (config: C, logger: Logger) => Service | Promise<Service>
  logLevel?: (config: C) => string
  shutdownTimeoutMs?: (config: C) => number
}

/**
 * Parses config once (a bad value exits 1 naming the variable, before any
 * connection opens), starts telemetry, creates and starts the service, and on
 * SIGTERM/SIGINT stops it and lets the process end by itself. If something is
 * still open after the timeout the process is forced out with exit code 1.
 */
export async function runMain<C>(options: MainOptions<C>): Promise<void> {
  let config: C
  try {
    config = options.loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.name}: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const telemetry = startTelemetry(options.name)
  const logger = createLogger(options.name, options.logLevel?.(config) ?? 'info')
  let service: Service
  try {
    service = await options.create(config, logger)
    await service.start()
  } catch (err) {
    logger.fatal({ err }, 'failed to start')
    await telemetry.shutdown().catch(() => {})
    process.exit(1)
  }
  logger.info('started')

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    setTimeout(() => {
      logger.error('forced exit: handles still open after the shutdown timeout')
      process.exit(1)
    }, options.shutdownTimeoutMs?.(config) ?? 10_000).unref()
    try {
      await service.stop()
      await telemetry.shutdown()
      logger.info('stopped')
      process.exitCode = 0
    } catch (err) {
      logger.error({ err }, 'error while stopping')
      process.exitCode = 1
    }
    process.removeAllListeners('SIGTERM')
    process.removeAllListeners('SIGINT')
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

export { createPeriodic, type Periodic } from './periodic.js'
