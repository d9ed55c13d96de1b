/**
 * Compares dotted version strings numerically part by part ("12.10" > "12.4",
 * "550.54.15" < "550.120"); a missing part counts as 0. Non-digits end a part.
 * Walks the strings without splitting: it runs per GPU in the filter hot path.
 */
export function compareVersions(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let x = 0
    let y = 0
    for (; i < a.length && a.charCodeAt(i) !== 46; i++) {
      const d = a.charCodeAt(i) - 48
      if (d >= 0 && d <= 9) x = x * 10 + d
    }
    for (; j < b.length && b.charCodeAt(j) !== 46; j++) {
      const d = b.charCodeAt(j) - 48
      if (d >= 0 && d <= 9) y = y * 10 + d
    }
    if (x !== y) return x < y ? -1 : 1
    i++
    j++
  }
  return 0
}

/** Whether a node's version meets a job's minimum: no minimum always does; an unknown version never does. */
export const meetsVersion = (have: string, min: string): boolean =>
  min === '' || (have !== '' && compareVersions(have, min) >= 0)
