import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook } from '../src/webhook-signature.js'

const secret = 'whsec_test'
const body = '{"id":"evt_1","amountMicros":5}'
const now = 1_800_000_000

describe('webhook signatures', () => {
  it('accepts what the secret signed, within the tolerance either way', () => {
    for (const signedAt of [now, now - 300, now + 300]) {
      expect(() => verifyWebhook(secret, signWebhook(secret, body, signedAt), body, now, 300)).not.toThrow()
    }
  })

  it.each([
    { name: 'no header', header: undefined, code: 'webhook_signature_missing' },
    { name: 'garbage', header: 'hello', code: 'webhook_signature_malformed' },
    {
      name: 'another secret',
      header: signWebhook('whsec_other', body, now),
      code: 'webhook_signature_invalid',
    },
    {
      name: 'a changed body',
      header: signWebhook(secret, body.replace('5', '500'), now),
      code: 'webhook_signature_invalid',
    },
    {
      name: 'a changed timestamp',
      header: signWebhook(secret, body, now - 1000).replace(`t=${now - 1000}`, `t=${now}`),
      code: 'webhook_signature_invalid',
    },
    {
      name: 'a replay from 6 minutes ago',
      header: signWebhook(secret, body, now - 301),
      code: 'webhook_timestamp_outside_tolerance',
    },
  ])('refuses $name', ({ header, code }) => {
    expect(() => verifyWebhook(secret, header, body, now, 300)).toThrow(
      expect.objectContaining({ kind: 'unauthenticated', code }),
    )
  })
})
