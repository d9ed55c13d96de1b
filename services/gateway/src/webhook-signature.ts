import { createHmac, timingSafeEqual } from 'node:crypto'
import { DomainError } from '@idlegrid/errors'

/**
 * Payment rails sign each webhook they send: the header
 * `Idlegrid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the secret the rail and Idlegrid share. The signature proves who sent
 * the body and that it was not changed; the signed timestamp bounds how long
 * a captured request can be replayed (`toleranceS`). Within the tolerance a
 * replay is harmless: the event id is the deposit's idempotency key.
 */
export const SIGNATURE_HEADER = 'idlegrid-signature'

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')

/**
 * The header value a rail sends (and what tests and the simulated rail use);
 * with more secrets (one being rolled out), a `v1=` for each: a receiver
 * holding either accepts it.
 */
export function signWebhook(secret: string | string[], body: string, timestamp: number): string {
  const secrets = Array.isArray(secret) ? secret : [secret]
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmac(s, timestamp, body)}`)].join(',')
}

const refused = (code: string, message: string) => new DomainError('unauthenticated', code, message)

/** Throws an `unauthenticated` DomainError unless `header` signs `body` with `secret` within the tolerance. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  nowS: number,
  toleranceS: number,
): void {
  if (!header) throw refused('webhook_signature_missing', `the ${SIGNATURE_HEADER} header is required`)
  const parts = header.split(',').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  })
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1])
  // One v1= per secret the sender signs with (more than one while a secret is being rolled).
  const given = parts.filter(([key]) => key === 'v1').map(([, value]) => value)
  if (
    !Number.isSafeInteger(timestamp) ||
    given.length === 0 ||
    !given.every((v) => /^[0-9a-f]{64}$/.test(v))
  ) {
    throw refused('webhook_signature_malformed', `${SIGNATURE_HEADER} must be t=<unix seconds>,v1=<hex>`)
  }
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex')
  // Compared in constant time, and before the timestamp, so a forger learns nothing from which check failed.
  if (!given.some((v) => timingSafeEqual(expected, Buffer.from(v, 'hex')))) {
    throw refused('webhook_signature_invalid', 'the signature does not match the body')
  }
  if (Math.abs(nowS - timestamp) > toleranceS) {
    throw refused(
      'webhook_timestamp_outside_tolerance',
      `signed at ${timestamp}, ${Math.abs(nowS - timestamp)} s from now (tolerance ${toleranceS} s): a replay or a skewed clock`,
    )
  }
}
