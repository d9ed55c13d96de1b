import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** An operator's API key, made by the real `create-operator` command, as whoever runs the cluster would run it. */
export async function createOperator(databaseUrl: string, name = 'Ops'): Promise<string> {
  const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['src/create-operator.ts', name], {
    cwd: fileURLToPath(new URL('../../services/gateway', import.meta.url)),
    env: { ...process.env, DATABASE_URL: databaseUrl },
  })
  const key = /API key \(shown once, store it now\): (key_\S+)/.exec(stdout)?.[1]
  if (!key) throw new Error(`create-operator printed no key: ${stdout}`)
  return key
}
