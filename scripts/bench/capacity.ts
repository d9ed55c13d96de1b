/**
 * A paced phase shows the pipeline's own latency only while the machine has
 * room to spare: offered near the rate it reaches saturated, the latency is
 * mostly the queue that builds up (seconds on a slow machine), whatever the
 * code. Returns a warning for the report then, undefined otherwise.
 */
export function capacityNote(saturatedPerS: number, pacedPerS: number, what: string): string | undefined {
  if (!(pacedPerS > 0) || !(saturatedPerS > 0) || saturatedPerS >= pacedPerS * 1.5) return undefined
  const share = Math.round((pacedPerS / saturatedPerS) * 100)
  return (
    `the paced ${pacedPerS} ${what}/s is ${share} % of the ${Math.round(saturatedPerS)}/s this machine took ` +
    `saturated: its latency is mostly queueing at capacity, not the target's measure here; ` +
    `compare builds with --rate ${Math.floor(saturatedPerS * 0.6)} or less`
  )
}
