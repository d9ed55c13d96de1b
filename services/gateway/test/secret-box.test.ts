import { describe, expect, it } from 'vitest'
import { createSecretBox } from '../src/secret-box.js'

const secret = 'whsec_0123456789abcdef0123456789abcdef'

describe('secret box (webhook secrets sealed at rest)', () => {
  it('seals a secret so that the stored value does not show it, and opens it again', () => {
    const box = createSecretBox('operator key one, long enough')
    const sealed = box.seal(secret)
    expect(sealed).toMatch(/^sealed:v1:[0-9a-f]{8}:[\w-]+:[\w-]+$/)
    expect(sealed).not.toContain(secret)
    expect(box.open(sealed)).toBe(secret)
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(box.seal(secret)).not.toBe(sealed)
    expect(box.needsSealing(sealed)).toBe(false)
  })

  it('reads a secret stored before sealing as it is, and says it needs sealing', () => {
    const box = createSecretBox('operator key one, long enough')
    expect(box.open(secret)).toBe(secret)
    expect(box.needsSealing(secret)).toBe(true)
  })

  it('refuses a sealed value that was altered', () => {
    const box = createSecretBox('operator key one, long enough')
    const sealed = box.seal(secret)
    const last = sealed.at(-1) === 'A' ? 'B' : 'A'
    expect(() => box.open(`${sealed.slice(0, -1)}${last}`)).toThrow()
  })

  it('opens what the previous key sealed after a rotation, asks to reseal it, and refuses an unknown key', () => {
    const before = createSecretBox('operator key one, long enough')
    const sealedBefore = before.seal(secret)
    const after = createSecretBox('operator key two, long enough', 'operator key one, long enough')
    expect(after.open(sealedBefore)).toBe(secret)
    expect(after.needsSealing(sealedBefore)).toBe(true)
    expect(after.needsSealing(after.seal(secret))).toBe(false)
    const stranger = createSecretBox('some other key, long enough')
    expect(() => stranger.open(sealedBefore)).toThrow(
      /neither WEBHOOK_SECRETS_KEY nor WEBHOOK_SECRETS_KEY_PREVIOUS/,
    )
  })
})
