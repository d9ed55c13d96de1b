import { type Cycle, firstRejection } from './cycle.js'
import type { Entry } from './entry.js'
import type { FleetGroup } from './fleet-group.js'
import { nodeFiltersIgnoringGroup, type Survey } from './survey.js'

/** Nodes read per list: enough to name a price, cheap enough for a job that waits. */
const READ_PER_LIST = 4
/** Nodes read in all: past that, the hint names the best price found so far. */
const READ_IN_ALL = 48

export interface PriceRelaxation {
  /** The lowest ceiling at which `nodes` (the job's node count) more nodes would fit. */
  price: bigint
  /** Nodes found that fit at that ceiling (a lower bound: reading stops early). */
  nodes: number
}

/**
 * The cheapest nodes rejected only for their price: in groups turned away by
 * price alone, and past the ceiling in lists a visit cut. Lists are sorted by
 * price, so groups are read cheapest-first (by their lower price bound) and
 * reading stops once the next group cannot beat the price already found.
 */
export function cheapestOverCeiling(
  cycle: Cycle,
  s: Survey,
  awayForPrice: FleetGroup[],
  tails: { list: Entry[]; from: number }[],
  nodes: number,
): PriceRelaxation | undefined {
  // Tails (visited groups) carry their own start positions; groups turned away are read from the start.
  const cut = new Map<FleetGroup, { list: Entry[]; from: number }[]>()
  for (const t of tails) {
    const g = t.list[t.from]!.group
    const lists = cut.get(g)
    if (lists) lists.push(t)
    else cut.set(g, [t])
  }
  const groups = [...awayForPrice, ...cut.keys()].sort((a, b) => a.bounds.minPrice - b.bounds.minPrice)
  const prices: bigint[] = []
  let bar: bigint | undefined
  let budget = READ_IN_ALL
  for (const g of groups) {
    if ((bar !== undefined && g.bounds.minPrice > Number(bar)) || budget <= 0) break
    const tailsHere = cut.get(g)
    const filters = tailsHere ? g.offer.visitFilters : nodeFiltersIgnoringGroup(cycle, s, g)
    if (!filters) continue
    const lists = tailsHere ?? levelsFrom(g, cycle.pruneFree ? cycle.k : 0)
    for (const { list, from } of lists)
      for (let i = from; i < list.length && i < from + READ_PER_LIST && budget-- > 0; i++) {
        const node = list[i]!.node
        if (bar !== undefined && node.pricePerGpuHour > bar) break
        if (firstRejection(cycle, filters, node)) continue
        insertSorted(prices, node.pricePerGpuHour)
        if (prices.length >= nodes) bar = prices[nodes - 1]
      }
  }
  if (prices.length < nodes) return undefined
  const price = prices[nodes - 1]!
  return { price, nodes: prices.filter((p) => p <= price).length }
}

function levelsFrom(g: FleetGroup, k: number): { list: Entry[]; from: number }[] {
  const out: { list: Entry[]; from: number }[] = []
  for (let free = k; free < g.levels.length; free++)
    if (g.levels[free]!.length) out.push({ list: g.levels[free]!, from: 0 })
  return out
}

function insertSorted(xs: bigint[], x: bigint): void {
  let i = xs.length
  xs.push(x)
  while (i > 0 && xs[i - 1]! > x) {
    xs[i] = xs[i - 1]!
    i--
  }
  xs[i] = x
}
