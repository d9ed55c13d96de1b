import { randomFillSync } from 'node:crypto'

/**
 * Prefixed, time-sortable ids: `job_01jd…`. The prefix says what the id is in
 * logs and support tickets; the time part keeps inserts index-friendly.
 * 48 bits of milliseconds + 80 random bits, Crockford base32 (like a ULID).
 */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'

export type IdPrefix = 'job' | 'node' | 'asg' | 'acct' | 'key' | 'hold' | 'dep' | 'prov' | 'whe' | 'evt'

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time
    t = Math.floor(t / 32)
  }
  const at = takeRandom(16)
  let random = ''
  for (let i = 0; i < 16; i++) random += alphabet[pool[at + i]! % 32]
  return `${prefix}_${time}${random}`
}

// Random bytes are drawn from the CSPRNG a pool at a time (as crypto.randomUUID
// does): one draw per id cost more than the rest of the id.
const pool = Buffer.alloc(4096)
let poolUsed = pool.length
function takeRandom(n: number): number {
  if (poolUsed + n > pool.length) {
    randomFillSync(pool)
    poolUsed = 0
  }
  const at = poolUsed
  poolUsed += n
  return at
}

/**
 * The least id of `prefix` made at `at` or later (ids sort by the time they
 * were made): `id >= idFloor('job', t)` selects the ids made from `t` on.
 */
export function idFloor(prefix: IdPrefix, at: Date): string {
  let time = ''
  let t = Math.max(0, at.getTime())
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time
    t = Math.floor(t / 32)
  }
  return `${prefix}_${time}${'0'.repeat(16)}`
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(id)
}
