/** How amounts, times and tables look on a terminal. Money in the API is integer micros. */

const MICROS = 1_000_000

/** 10_000_000 → "$10.00"; 1_234 → "$0.001234": cents when exact, otherwise every digit that matters. */
export function usd(micros: number): string {
  const sign = micros < 0 ? '-' : ''
  const abs = Math.abs(micros)
  const whole = Math.floor(abs / MICROS)
  const fraction = String(abs % MICROS)
    .padStart(6, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0')
  return `${sign}$${whole.toLocaleString('en-US')}.${fraction}`
}

/** Micros of a currency as people write it: "$1.50" for USD, "1.5 GRID" for the others. */
export function money(currency: string, micros: number): string {
  return currency === 'USD'
    ? usd(micros)
    : `${(micros / MICROS).toFixed(6).replace(/\.?0+$/, '')} ${currency}`
}

/** "10", "$10.50", "0.000001" → micros; undefined when it is not an amount of dollars. */
export function parseUsd(text: string): number | undefined {
  const match = /^\$?(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * MICROS + Number((match[2] ?? '').padEnd(6, '0'))
}

/** 83_000 → "1m23s", 3_600_000 → "1h00m00s", 900 → "0.9s". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${rest}s`
  return m > 0 ? `${m}m${rest}s` : `${s}s`
}

/** A timestamp as the local "2024-05-01 14:03:22". */
export function when(iso: string | null | undefined): string {
  if (!iso) return '-'
  const d = new Date(iso)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)))
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** A bar of `width` cells filled to `fraction` (0..1). */
export function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}

/** "label  value" lines with the values aligned. */
export function pairs(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')
}
