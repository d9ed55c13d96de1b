import { IdlegridError, type Quote } from '@idlegrid/sdk'
import type { Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { pairs, usd, when } from '../format.js'
import { readJobFile } from '../job-file.js'

const BASIS: Record<Quote['explanation']['basis'], string> = {
  market: 'market price',
  reference: 'reference price (no node of these models offers GPUs now)',
  ceiling: 'your own max price',
  runnable:
    'the least price at which enough nodes could ever run it; the market price would leave it waiting',
}

/** The quote as a person reads it: what is locked, until when, and why. */
export function describeQuote(q: Quote): string {
  const e = q.explanation
  const rows: [string, string][] = [
    ['Quote', q.id],
    ['Price', `${usd(q.pricePerGpuHourMicros)} per GPU-hour, at most (${BASIS[e.basis]})`],
    q.render
      ? [
          'Held',
          `${usd(q.render.holdUsdMicros)} for ${q.render.chunks} chunks, ${usd(q.holdUsdMicros)} each (USD; paid in ${q.currency})`,
        ]
      : ['Held', `${usd(q.holdUsdMicros)} (USD; paid in ${q.currency})`],
    ['Fee', `${(q.feeBps / 100).toFixed(2).replace(/\.?0+$/, '')}% of what is charged`],
    [
      'Expires',
      `${when(q.expiresAt)} (${Math.max(0, Math.round((Date.parse(q.expiresAt) - Date.now()) / 1000))} s)`,
    ],
  ]
  if (e.model)
    rows.push(
      [
        'Market',
        `${e.model} in ${e.region}: ${e.supplyFreeGpus}/${e.supplyTotalGpus} GPUs free, ${e.demandGpus} wanted`,
      ],
      [
        'Multiplier',
        `×${e.multiplier.toFixed(2)} on the median asking price ${usd(e.levelMicros)} (heading to ×${e.targetMultiplier.toFixed(2)}; bounds ×0.80–×2.50)`,
      ],
    )
  rows.push(['Why', e.summary])
  return pairs(rows)
}

export const quote: Command = {
  name: 'quote',
  summary: 'Price a job file now: a locked price per GPU-hour, the hold, the fee, and why',
  args: ['file'],
  options: {},
  help: `Usage: idlegrid quote <job.yaml|job.json> [--json]

Prices the job now, as submitting it would: the most it pays per GPU-hour,
the funds held for it (price × GPUs × max duration), the platform fee of its
currency, and why the price is what it is. Prices follow the market: each
GPU model and region has a multiplier (×0.80 to ×2.50) on its providers'
asking prices that rises while jobs wait for its GPUs and falls when they
stand idle, a bounded step at a time.

The quote locks its price for a few minutes. Submit the same file with
--quote <id> to be held at exactly that price; a changed file, an expired
quote or another account's quote is refused.

Examples:
  idlegrid quote job.yaml
  idlegrid submit job.yaml --quote quote_01j9x…
  idlegrid quote job.yaml --json | jq .pricePerGpuHourMicros
`,
  async run(ctx, _values, [file]) {
    const spec = readJobFile(file!)
    let q: Quote
    try {
      q = await ctx.client().quotes.create(spec)
    } catch (err) {
      if (err instanceof IdlegridError && err.field?.startsWith('body.'))
        ctx.out.note(`in ${file}: ${err.field.slice('body.'.length)}`)
      throw err
    }
    if (ctx.json) {
      ctx.out.line(JSON.stringify(q))
      return EXIT.ok
    }
    ctx.out.line(describeQuote(q))
    ctx.out.line(`Submit at this price with: idlegrid submit ${file} --quote ${q.id}`)
    return EXIT.ok
  },
}
