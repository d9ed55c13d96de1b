import { ValidationError } from '@idlegrid/errors'

/** What a node agent claims about its machine when it registers. */
export interface GpuClaim {
  index: number
  model: string
  vramMib: number
  uuid: string
  /** "8.9"; empty when unknown. */
  computeCapability?: string
  /** "pcie" | "nvlink" | "sxm". */
  interconnect?: string
}

export interface InventoryClaim {
  providerId: string
  gpus: GpuClaim[]
  cpuCores: number
  ramMib: number
  hostname: string
  region: string
  pricePerGpuHourMicros: bigint
  /** ISO 3166-1 alpha-2; empty when not declared. */
  country?: string
}

const COMPUTE_CAPABILITY = /^\d{1,2}\.\d{1,2}$/
const INTERCONNECTS = ['', 'pcie', 'nvlink', 'sxm']

const MODEL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/
const REGION = /^[a-z0-9][a-z0-9-]{0,31}$/
const PROVIDER = /^[A-Za-z0-9_-]{1,64}$/
/** 1 TiB per GPU is far above any card sold; a bigger claim is a lie or a bug. */
const MAX_VRAM_MIB = 1024 * 1024
const MAX_GPUS = 64
/** $1,000 per GPU-hour: an asking price above this is a typo, not a business. */
const MAX_PRICE = 1_000_000_000n

/**
 * Refuses an inventory a node cannot honestly have, naming the first bad
 * field (`inventory.gpus[1].vramMib`), so the agent's owner can fix it.
 */
export function validateInventory(claim: InventoryClaim): void {
  if (!PROVIDER.test(claim.providerId))
    throw new ValidationError('providerId', 'must be 1-64 letters, digits, _ or -')
  if (claim.gpus.length === 0)
    throw new ValidationError('inventory.gpus', 'a node must offer at least one GPU')
  if (claim.gpus.length > MAX_GPUS)
    throw new ValidationError('inventory.gpus', `at most ${MAX_GPUS} GPUs per node`)
  const seen = new Set<number>()
  claim.gpus.forEach((gpu, i) => {
    const at = `inventory.gpus[${i}]`
    if (!MODEL.test(gpu.model))
      throw new ValidationError(`${at}.model`, 'must be a model name such as RTX4090')
    if (!Number.isInteger(gpu.vramMib) || gpu.vramMib < 1024 || gpu.vramMib > MAX_VRAM_MIB) {
      throw new ValidationError(`${at}.vramMib`, 'must be between 1024 and 1048576 MiB')
    }
    if (seen.has(gpu.index)) throw new ValidationError(`${at}.index`, `index ${gpu.index} is listed twice`)
    if (gpu.computeCapability && !COMPUTE_CAPABILITY.test(gpu.computeCapability)) {
      throw new ValidationError(`${at}.computeCapability`, 'must look like 8.9')
    }
    if (!INTERCONNECTS.includes(gpu.interconnect ?? '')) {
      throw new ValidationError(`${at}.interconnect`, 'must be pcie, nvlink or sxm')
    }
    seen.add(gpu.index)
  })
  if (!Number.isInteger(claim.cpuCores) || claim.cpuCores < 1)
    throw new ValidationError('inventory.cpuCores', 'must be ≥ 1')
  if (!REGION.test(claim.region))
    throw new ValidationError('inventory.region', 'must be a region code such as eu-west')
  if (claim.country && !/^[A-Z]{2}$/.test(claim.country)) {
    throw new ValidationError('inventory.country', 'must be an ISO 3166-1 alpha-2 code such as NL')
  }
  if (claim.hostname.length === 0 || claim.hostname.length > 253) {
    throw new ValidationError('inventory.hostname', 'must be 1-253 characters')
  }
  if (claim.pricePerGpuHourMicros <= 0n || claim.pricePerGpuHourMicros > MAX_PRICE) {
    throw new ValidationError('pricePerGpuHourMicros', 'must be above 0 and at most 1000 USD per GPU-hour')
  }
}
