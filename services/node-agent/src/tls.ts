import { readFileSync } from 'node:fs'
import * as grpc from '@grpc/grpc-js'

/**
 * How the agent's connection to the registry is secured. No files: plain
 * text (a local cluster). A CA alone: TLS, the registry proves who it is. A
 * client certificate and key as well: mutual TLS, the node proves who it is
 * too. The node token is sent either way.
 */
export interface TlsFiles {
  /** PEM CA bundle that signed the registry's certificate; system roots when absent. */
  ca?: string | undefined
  /** PEM client certificate (chain) for mutual TLS. */
  cert?: string | undefined
  /** PEM private key of the client certificate. */
  key?: string | undefined
}

export type TlsMode = 'insecure' | 'tls' | 'mutual-tls'

export function tlsMode(files: TlsFiles | undefined): TlsMode {
  if (files?.cert && files.key) return 'mutual-tls'
  return files?.ca ? 'tls' : 'insecure'
}

/** Problems with the combination and the files, keyed by which setting is at fault. */
export function checkTlsFiles(files: TlsFiles): { setting: keyof TlsFiles; problem: string }[] {
  const problems: { setting: keyof TlsFiles; problem: string }[] = []
  if (files.cert && !files.key)
    problems.push({ setting: 'cert', problem: 'needs the client key too (--tls-key)' })
  if (files.key && !files.cert)
    problems.push({ setting: 'key', problem: 'needs the client certificate too (--tls-cert)' })
  for (const setting of ['ca', 'cert', 'key'] as const) {
    const path = files[setting]
    if (!path) continue
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      problems.push({ setting, problem: `cannot read "${path}": ${(err as NodeJS.ErrnoException).code}` })
      continue
    }
    if (!text.includes('-----BEGIN '))
      problems.push({ setting, problem: `"${path}" is not a PEM file (no -----BEGIN line)` })
  }
  return problems
}

/** Reads the files (at start, so a renewed certificate is used after a restart). */
export function channelCredentials(files: TlsFiles | undefined): grpc.ChannelCredentials {
  const mode = tlsMode(files)
  if (mode === 'insecure') return grpc.credentials.createInsecure()
  const read = (path: string | undefined) => (path ? readFileSync(path) : null)
  return mode === 'tls'
    ? grpc.credentials.createSsl(read(files?.ca))
    : grpc.credentials.createSsl(read(files?.ca), read(files?.key), read(files?.cert))
}
