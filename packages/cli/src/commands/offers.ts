import type { OfferQuery } from '@idlegrid/sdk'
import {
  type Command,
  intFlag,
  listFlag,
  numberFlag,
  stringFlag,
  UsageError,
  type Values,
} from '../command.js'
import { EXIT } from '../exit-codes.js'
import { parseUsd, table, usd, when } from '../format.js'

/** --max-hours as the API's maxDurationS. */
function hoursFlag(values: Values): number | undefined {
  const hours = numberFlag(values, 'max-hours', 0.001, 720)
  return hours === undefined ? undefined : Math.ceil(hours * 3600)
}

function offerQuery(values: Values): OfferQuery {
  const price = stringFlag(values, 'max-price')
  const maxPricePerGpuHourMicros = price === undefined ? undefined : parseUsd(price)
  if (price !== undefined && !maxPricePerGpuHourMicros)
    throw new UsageError(`--max-price is US dollars per GPU-hour, e.g. 0.60, not "${price}"`)
  const vramGib = numberFlag(values, 'min-vram', 0, 1024)
  const sort = stringFlag(values, 'sort')
  if (sort !== undefined && sort !== 'price' && sort !== 'score')
    throw new UsageError(`--sort is price or score, not "${sort}"`)
  const query: OfferQuery = {
    gpus: intFlag(values, 'gpus', 1, 64),
    model: listFlag(values, 'model'),
    minVramMib: vramGib === undefined ? undefined : Math.round(vramGib * 1024),
    minCudaVersion: stringFlag(values, 'cuda'),
    minComputeCapability: stringFlag(values, 'compute-capability'),
    region: listFlag(values, 'region'),
    country: listFlag(values, 'country')?.map((c) => c.toUpperCase()),
    maxPricePerGpuHourMicros,
    minReputation: numberFlag(values, 'min-reputation', 0, 1),
    interruptible: values.interruptible === true ? true : undefined,
    maxDurationS: hoursFlag(values),
    sort,
    limit: intFlag(values, 'limit', 1, 100),
  }
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as OfferQuery
}

export const offers: Command = {
  name: 'offers',
  summary: 'Search GPUs a job could be placed on now',
  args: [],
  options: {
    gpus: { type: 'string' },
    model: { type: 'string', multiple: true },
    'min-vram': { type: 'string' },
    cuda: { type: 'string' },
    'compute-capability': { type: 'string' },
    region: { type: 'string', multiple: true },
    country: { type: 'string', multiple: true },
    'max-price': { type: 'string' },
    'min-reputation': { type: 'string' },
    interruptible: { type: 'boolean' },
    'max-hours': { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
  },
  help: `Usage: idlegrid offers [filters] [--json]

Nodes with free GPUs that fit, by the same rules and scores as placement,
cheapest first (or best first with --sort score).

Filters:
  --gpus <n>                  GPUs on one node (default 1)
  --model <name>              any of these models; repeat for more (RTX4090, A100, H100, …;
                              any case, or as nvidia-smi names it: "RTX 4090")
  --min-vram <GiB>            memory per GPU
  --cuda <version>            CUDA version the driver must support, e.g. 12.2
  --compute-capability <v>    e.g. 8.0 for Ampere or newer
  --region <name>             any of these regions; repeat for more
  --country <code>            any of these countries (ISO 3166-1 alpha-2); repeat for more
  --max-price <usd>           per GPU-hour, e.g. 0.60
  --min-reputation <0..1>     node reliability
  --interruptible             include nodes that only take interruptible work
  --max-hours <h>             how long the job may run: leaves out nodes lent only in hours
                              that close before it could end (UNTIL says when a node's close)
  --sort price|score          default price
  --limit <n>                 at most n offers (default 20, up to 100)

Examples:
  idlegrid offers --model RTX4090 --model A100 --min-vram 24 --max-price 0.80
  idlegrid offers --gpus 8 --region eu-west --sort score --json
`,
  async run(ctx, values) {
    const found = await ctx.client().offers(offerQuery(values))
    if (ctx.json) {
      ctx.out.line(JSON.stringify(found))
      return EXIT.ok
    }
    if (found.data.length === 0) {
      ctx.out.line(`No offers fit (${found.nodesConsidered} nodes considered).`)
      return EXIT.ok
    }
    const rows = found.data.map((o) => {
      const models = [...new Set(o.gpus.map((g) => g.model))].join(',')
      const vram = Math.min(...o.gpus.map((g) => g.vramMib))
      const cuda = o.gpus.map((g) => g.cudaVersion).sort()[0] ?? ''
      return [
        o.nodeId,
        o.region,
        o.country || '-',
        `${o.freeGpus}/${o.totalGpus}`,
        models,
        `${Math.round(vram / 1024)} GiB`,
        cuda || '-',
        usd(o.pricePerGpuHourMicros),
        o.reputation.toFixed(2),
        o.score.toFixed(0),
        o.availableUntil ? when(o.availableUntil) : '-',
      ]
    })
    ctx.out.line(
      table(
        [
          'NODE',
          'REGION',
          'COUNTRY',
          'FREE',
          'MODEL',
          'VRAM',
          'CUDA',
          'PRICE/GPU-H',
          'REPUTATION',
          'SCORE',
          'UNTIL',
        ],
        rows,
      ),
    )
    ctx.out.line(`${found.data.length} offers, ${found.nodesConsidered} nodes considered.`)
    return EXIT.ok
  },
}
