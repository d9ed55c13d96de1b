import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Every .ts file under `dir`, recursively (absolute paths). */
export function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/*
 * One pass over the source: comments, template literals and plain strings are
 * matched (and skipped) before an import can be, so an import written inside a
 * comment or a string is never reported. Groups 2/4/6 are the specifiers of
 * `import|export … from '…'`, `import('…')` and a bare `import '…'`.
 */
const tokens = new RegExp(
  [
    String.raw`\/\/[^\n]*`,
    String.raw`\/\*[\s\S]*?\*\/`,
    String.raw`\x60(?:\\[\s\S]|[^\\\x60])*\x60`,
    String.raw`\b(?:import|export)\b[\s\w{},*$]*?\bfrom\s*(['"])([^'"\n]+)\1`,
    String.raw`\bimport\s*\(\s*(['"])([^'"\n]+)\3\s*\)`,
    String.raw`\bimport\s*(['"])([^'"\n]+)\5`,
    String.raw`(['"])(?:\\.|(?!\7)[^\\\n])*\7`,
  ].join('|'),
  'g',
)

/** The module specifiers a TypeScript source file imports or re-exports, static or dynamic. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(tokens)) {
    const specifier = m[2] ?? m[4] ?? m[6]
    if (specifier) found.push(specifier)
  }
  return found
}

export function importsOf(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8'))
}

/** `@scope/name/sub` → `@scope/name`, `pg/lib` → `pg`, `node:net` → `node:net`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}
