import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/** What `idlegrid login` remembers. */
export interface SavedLogin {
  url?: string
  apiKey?: string
}

/** `$XDG_CONFIG_HOME/idlegrid/config.json`, else `~/.config/idlegrid/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(base, 'idlegrid', 'config.json')
}

export function readSavedLogin(path: string): SavedLogin {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return {}
  }
  try {
    const parsed = JSON.parse(text) as SavedLogin
    return {
      ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}),
      ...(typeof parsed.apiKey === 'string' ? { apiKey: parsed.apiKey } : {}),
    }
  } catch {
    throw new Error(`${path} is not valid JSON; fix it or run idlegrid login again`)
  }
}

/** Written readable by its owner only (0600, in a 0700 folder): it holds an API key. */
export function saveLogin(path: string, login: SavedLogin): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 })
  // The mode above applies only to a new file; an older one may have been wider.
  chmodSync(path, 0o600)
}
