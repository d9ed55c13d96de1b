import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importSpecifiers, importsOf, packageOf, tsFilesUnder } from '../support/imports.js'
import { repoRoot } from '../support/processes.js'

/**
 * The architecture as a test: services talk over gRPC and queues, never by
 * importing each other, and the domain packages stay free of IO so they can
 * be unit-tested and reused anywhere.
 */
const servicesDir = join(repoRoot, 'services')
const serviceFolders = readdirSync(servicesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(servicesDir, e.name, 'package.json')))
  .map((e) => e.name)
const manifest = (folder: string) =>
  JSON.parse(readFileSync(join(servicesDir, folder, 'package.json'), 'utf8')) as {
    name: string
    dependencies?: Record<string, string>
  }
const packageNameOf = new Map(serviceFolders.map((folder) => [folder, manifest(folder).name]))

const pureCore = ['matching-core', 'ledger-core', 'pricing-core', 'job-core', 'fleet-core', 'ids', 'errors']
const ioModules = [
  '@grpc/grpc-js',
  'fastify',
  'bullmq',
  'ioredis',
  'pg',
  'kysely',
  'node:net',
  'node:http',
  'net',
  'http',
]

const shown = (file: string) => relative(repoRoot, file)

describe('the import scanner this file relies on', () => {
  it('finds static, re-exported, type-only, multi-line and dynamic imports, and ignores comments and strings', () => {
    const source = [
      "import { a } from '@idlegrid/one'",
      "import type {\n  B,\n  C,\n} from './two.js'",
      "export * from '../three.js'",
      "import './four.js'",
      "const five = await import('@idlegrid/five')",
      "// import { x } from '@idlegrid/commented'",
      "/* import y from 'pg' */",
      'const text = "import z from \'ioredis\'"',
      'const tpl = `export * from "fastify"`',
    ].join('\n')
    expect(importSpecifiers(source)).toEqual([
      '@idlegrid/one',
      './two.js',
      '../three.js',
      './four.js',
      '@idlegrid/five',
    ])
  })
})

describe('service boundaries', () => {
  it('knows the services by folder and package name', () => {
    expect(serviceFolders).toEqual(
      expect.arrayContaining(['billing', 'gateway', 'matching', 'node-agent', 'pricing', 'registry']),
    )
    for (const [folder, name] of packageNameOf) expect(name).toBe(`@idlegrid/${folder}`)
  })

  it('no service imports another service, by package name or by a relative path out of its folder', () => {
    const offences: string[] = []
    let scanned = 0
    for (const folder of serviceFolders) {
      const own = join(servicesDir, folder)
      const others = new Set([...packageNameOf].filter(([f]) => f !== folder).map(([, name]) => name))
      for (const file of tsFilesUnder(join(own, 'src'))) {
        for (const specifier of importsOf(file)) {
          scanned++
          if (others.has(packageOf(specifier))) offences.push(`${shown(file)} imports '${specifier}'`)
          if (specifier.startsWith('.')) {
            const target = resolve(dirname(file), specifier)
            if (!`${target}${sep}`.startsWith(`${own}${sep}`))
              offences.push(`${shown(file)} imports '${specifier}' (outside services/${folder})`)
          }
        }
      }
    }
    expect(scanned).toBeGreaterThan(100)
    expect(offences, offences.join('\n')).toEqual([])
  })
})

describe('pure domain packages', () => {
  const filesOf = (pkg: string) => tsFilesUnder(join(repoRoot, 'packages', pkg, 'src'))

  it.each(pureCore)('%s exists and has source files', (pkg) => {
    expect(filesOf(pkg).length).toBeGreaterThan(0)
  })

  it('import no transport, queue or database library', () => {
    const offences = pureCore.flatMap((pkg) =>
      filesOf(pkg).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => ioModules.includes(packageOf(specifier)))
          .map((specifier) => `${shown(file)} imports '${specifier}'`),
      ),
    )
    expect(offences, offences.join('\n')).toEqual([])
  })

  it('depend on no workspace package outside the pure set (so no IO arrives second-hand)', () => {
    const pureNames = new Set(pureCore.map((pkg) => `@idlegrid/${pkg}`))
    const offences = pureCore.flatMap((pkg) =>
      filesOf(pkg).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier.startsWith('@idlegrid/') && !pureNames.has(packageOf(specifier)))
          .map((specifier) => `${shown(file)} imports '${specifier}'`),
      ),
    )
    expect(offences, offences.join('\n')).toEqual([])
  })
})

describe('what container images rely on', () => {
  const deployed = serviceFolders.filter(
    (folder) => folder !== 'node-agent' && existsSync(join(servicesDir, folder, 'src', 'main.ts')),
  )

  it('covers the five deployed services', () => {
    expect(deployed.sort()).toEqual(['billing', 'gateway', 'matching', 'pricing', 'registry'])
  })

  it.each(deployed)('%s ships src/migrate.ts and lists tsx as a runtime dependency', (folder) => {
    expect(
      existsSync(join(servicesDir, folder, 'src', 'migrate.ts')),
      `services/${folder}/src/migrate.ts`,
    ).toBe(true)
    expect(
      manifest(folder).dependencies ?? {},
      `services/${folder}/package.json dependencies`,
    ).toHaveProperty('tsx')
  })
})
