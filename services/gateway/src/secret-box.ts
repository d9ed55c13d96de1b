import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Secrets the gateway must read back (webhook endpoints' signing secrets: it
 * signs every delivery with them) are kept sealed at rest, so a copy of the
 * database (a backup, a read replica, a dump shared to debug) does not hand
 * out the means to forge deliveries. AES-256-GCM, a fresh 96-bit nonce per
 * seal, the key derived (HKDF-SHA256) from the operator's
 * WEBHOOK_SECRETS_KEY. A sealed value names the key it was sealed with
 * (`sealed:v1:<key id>:<nonce>:<ciphertext and tag>`, base64url), so the
 * key can be rotated: the previous key still opens what it sealed, and the
 * gateway reseals those at start.
 */
export interface SecretBox {
  /** Names the current key in what it seals (not secret: a hash of the derived key). */
  readonly keyId: string
  seal(secret: string): string
  /** The secret in a stored value: sealed (by the current or previous key), or plain (stored before sealing). */
  open(stored: string): string
  /** Whether a stored value is plain or sealed by another key than the current one. */
  needsSealing(stored: string): boolean
}

const PREFIX = 'sealed:v1:'

interface Key {
  id: string
  bytes: Buffer
}

function keyOf(material: string): Key {
  const bytes = Buffer.from(hkdfSync('sha256', material, 'idlegrid', 'webhook secrets v1', 32))
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes }
}

export function createSecretBox(current: string, previous?: string): SecretBox {
  const key = keyOf(current)
  const keys = new Map([[key.id, key]])
  if (previous) {
    const old = keyOf(previous)
    keys.set(old.id, old)
  }
  const parts = (stored: string) => {
    const [id, nonce, sealed] = stored.slice(PREFIX.length).split(':')
    return { id: id ?? '', nonce: nonce ?? '', sealed: sealed ?? '' }
  }
  return {
    keyId: key.id,
    seal(secret) {
      const nonce = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key.bytes, nonce)
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `${PREFIX}${key.id}:${nonce.toString('base64url')}:${sealed.toString('base64url')}`
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored
      const { id, nonce, sealed } = parts(stored)
      const opener = keys.get(id)
      if (!opener)
        throw new Error(
          `a secret is sealed with key ${id}, which is neither WEBHOOK_SECRETS_KEY nor WEBHOOK_SECRETS_KEY_PREVIOUS`,
        )
      const bytes = Buffer.from(sealed, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', opener.bytes, Buffer.from(nonce, 'base64url'))
      decipher.setAuthTag(bytes.subarray(bytes.length - 16))
      // final() throws when the value was altered: a tampered secret is never used.
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - 16)),
        decipher.final(),
      ]).toString('utf8')
    },
    needsSealing(stored) {
      return !stored.startsWith(PREFIX) || parts(stored).id !== key.id
    },
  }
}
