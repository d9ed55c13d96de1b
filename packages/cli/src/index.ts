export { commands, DEFAULT_URL, describeError, type Io, runCli, VERSION } from './cli.js'
export { EXIT } from './exit-codes.js'
