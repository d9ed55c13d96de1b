import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { checkEndpointUrl, isInternalAddress, postJson } from '../src/webhooks.js'

describe('webhook destinations', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
  ])('counts %s as internal', (address) => {
    expect(isInternalAddress(address)).toBe(true)
  })

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:1.1.1.1'])(
    'counts %s as public',
    (address) => {
      expect(isInternalAddress(address)).toBe(false)
    },
  )

  it('refuses an endpoint on an internal address unless the deployment allows it (a local cluster)', async () => {
    await expect(checkEndpointUrl('http://169.254.169.254/latest/meta-data', false)).rejects.toMatchObject({
      field: 'body.url',
      message: expect.stringContaining('is an internal address (169.254.169.254)'),
    })
    await expect(checkEndpointUrl('http://[::1]:8080/hook', false)).rejects.toMatchObject({
      field: 'body.url',
    })
    await expect(checkEndpointUrl('http://127.0.0.1:9000/hook', true)).resolves.toBeUndefined()
    await expect(checkEndpointUrl('https://8.8.8.8/hook', false)).resolves.toBeUndefined()
  })

  it('refuses an internal address as the delivery connects, not only when the URL is checked (DNS rebinding)', async () => {
    const server = createServer((_req, res) => res.writeHead(204).end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://localhost:${(server.address() as AddressInfo).port}/hook`
    try {
      // The name resolves to 127.0.0.1 as the socket connects: refused there, before any byte is sent.
      await expect(
        postJson(url, '{}', {}, { signal: AbortSignal.timeout(5_000), privateAllowed: false }),
      ).rejects.toThrow(/localhost is an internal address \(127\.0\.0\.1|::1\)/)
      await expect(
        postJson(
          url.replace('localhost', '127.0.0.1'),
          '{}',
          {},
          {
            signal: AbortSignal.timeout(5_000),
            privateAllowed: true,
          },
        ),
      ).resolves.toBe(204)
    } finally {
      server.close()
    }
  })
})
