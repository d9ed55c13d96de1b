import { readFileSync } from 'node:fs'
import { ConfigError } from '@idlegrid/config'

/**
 * `--config agent.json`: a JSON object whose keys are the flag names without
 * the dashes, e.g. {"registry": "registry.idlegrid.example:443",
 * "token": "node_….…", "simulate-gpus": "2xRTX4090:24"}. Numbers and
 * booleans may be written as such. Flags and variables override the file.
 */
export type ConfigFileValues = Map<string, string>

/** Reads and checks the file; every problem names the file (and the key). */
export function readConfigFile(path: string, knownKeys: readonly string[]): ConfigFileValues {
  const where = `config file ${path}`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`
    throw new ConfigError([{ variable: where, problem: why }])
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ConfigError([{ variable: where, problem: `is not valid JSON: ${(err as Error).message}` }])
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([
      {
        variable: where,
        problem: 'must be a JSON object of flag names to values, e.g. {"region": "eu-west"}',
      },
    ])
  }
  const values: ConfigFileValues = new Map()
  const problems: { variable: string; problem: string }[] = []
  for (const [key, value] of Object.entries(parsed)) {
    const setting = fileSetting(path, key)
    if (!knownKeys.includes(key)) {
      const bare = key.replace(/^-+/, '')
      const hint = knownKeys.includes(bare) ? `; write it without dashes: "${bare}"` : ''
      problems.push({ variable: setting, problem: `is not a setting the agent knows${hint}` })
    } else if (typeof value === 'string') {
      values.set(key, value)
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      values.set(key, String(value))
    } else if (value !== null) {
      problems.push({
        variable: setting,
        problem: `must be a string or a number, got ${JSON.stringify(value)}`,
      })
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return values
}

/** The name used when a value from the file is wrong. */
export const fileSetting = (path: string, key: string) => `config file ${path}, key "${key}"`
