export * from './logger.js'
export * from './text-log.js'
export * from './tracing.js'
