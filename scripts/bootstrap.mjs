// `npm start` and `npm test` on a fresh clone where only Node.js is installed:
// get pnpm 10 (the version pinned in package.json), install dependencies when
// they are missing or stale, check Postgres and Redis, then run the real command.
// Plain Node, no dependencies: nothing is installed when this file runs.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createConnection } from 'node:net'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const mode = process.argv[2]
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1]
const say = (line) => process.stdout.write(`\x1b[2m[idlegrid]\x1b[0m ${line}\n`)

function findPnpm() {
  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm')
  for (const candidate of [local, 'pnpm']) {
    try {
      const version = execFileSync(candidate, ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim()
      if (version.split('.')[0] === pinned.split('.')[0]) return candidate
    } catch {}
  }
  say(`installing pnpm ${pinned} into .tools/ (once)`)
  execFileSync(
    'npm',
    ['install', '--prefix', join(root, '.tools'), '--no-save', '--no-audit', '--no-fund', `pnpm@${pinned}`],
    {
      stdio: 'inherit',
    },
  )
  return local
}

function installIfNeeded(pnpm) {
  const marker = join(root, 'node_modules', '.pnpm', 'lock.yaml')
  const lockfile = join(root, 'pnpm-lock.yaml')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs) return
  say('installing dependencies (pnpm install --frozen-lockfile)')
  execFileSync(pnpm, ['install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit' })
}

function reachable(url, fallbackPort) {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = createConnection({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port || fallbackPort),
    })
    socket.setTimeout(1500)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const howToStart = `
Start them, then run this again:
  Postgres: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
            (or: docker compose up -d postgres)
  Redis:    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
            (or: docker compose up -d redis)
Or point DATABASE_URL / REDIS_URL at running ones. See DEVELOPERS.md.`

async function main() {
  if (mode !== 'start' && mode !== 'test') throw new Error('usage: node scripts/bootstrap.mjs start|test')
  const pnpm = findPnpm()
  installIfNeeded(pnpm)
  // Scripts call `pnpm` by name: make the pnpm we found the one on PATH.
  const pnpmDir = pnpm.includes('/') ? [dirname(pnpm)] : []
  const env = { ...process.env, PATH: [...pnpmDir, process.env.PATH].filter(Boolean).join(delimiter) }
  if (mode === 'start') {
    const [pg, redis] = await Promise.all([reachable(postgresUrl, 5432), reachable(redisUrl, 6379)])
    if (!pg || !redis) {
      const missing = [!pg && `Postgres (${postgresUrl})`, !redis && `Redis (${redisUrl})`]
        .filter(Boolean)
        .join(' and ')
      process.stderr.write(`\n${missing} did not answer.${howToStart}\n`)
      process.exit(1)
    }
  } else {
    // Tests use TEST_DATABASE_URL / TEST_REDIS_URL; default them to local servers that answer.
    const testPg = env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const testRedis = env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
    if (!env.TEST_DATABASE_URL && (await reachable(testPg, 5432))) env.TEST_DATABASE_URL = testPg
    if (!env.TEST_REDIS_URL && (await reachable(testRedis, 6379))) env.TEST_REDIS_URL = testRedis
    if (!env.TEST_DATABASE_URL || !env.TEST_REDIS_URL) {
      say(
        `no local Postgres/Redis answered; tests will try testcontainers (needs a Docker engine).${howToStart}`,
      )
    }
  }
  const child = spawn(pnpm, ['run', mode === 'start' ? 'cluster' : 'check'], {
    cwd: root,
    env,
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`)
  process.exit(1)
})
