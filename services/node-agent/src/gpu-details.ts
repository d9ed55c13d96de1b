/**
 * What matching needs beyond model and memory: the compute capability (which
 * CUDA builds run), the driver and the highest CUDA version it supports, and
 * how the GPUs talk to each other (multi-GPU training wants NVLink or SXM).
 */
export type Interconnect = 'pcie' | 'nvlink' | 'sxm'

/** "CUDA Version: 12.4" from the header of plain `nvidia-smi`; "" when absent. */
export function parseCudaVersion(nvidiaSmiOutput: string): string {
  return /CUDA Version:\s*(\d+\.\d+)/.exec(nvidiaSmiOutput)?.[1] ?? ''
}

/** Indexes of GPUs with at least one active link in `nvidia-smi nvlink --status`. */
export function parseNvlinkStatus(output: string): Set<number> {
  const active = new Set<number>()
  let gpu: number | undefined
  for (const line of output.split(/\r?\n/)) {
    const header = /^GPU (\d+):/.exec(line)
    if (header) gpu = Number(header[1])
    else if (gpu !== undefined && /Link \d+:\s*[\d.]+\s*GB\/s/.test(line)) active.add(gpu)
  }
  return active
}

/** Data-centre parts whose plain name is the SXM board; their PCIe cards say PCIe or NVL. */
const SXM_BY_DEFAULT = new Set(['H100', 'H200', 'H800', 'A100', 'A800'])

/**
 * `sxm` when the name says so (A100-SXM4, V100-SXM2) or for the H100/H200/A100
 * boards that do not say PCIe or NVL; else `nvlink` when nvidia-smi showed
 * active links; else `pcie`.
 */
export function interconnectFor(name: string, model: string, nvlinkActive: boolean): Interconnect {
  const upper = name.toUpperCase()
  if (upper.includes('SXM')) return 'sxm'
  if (SXM_BY_DEFAULT.has(model) && !/PCIE|\bNVL\b/.test(upper)) return 'sxm'
  return nvlinkActive ? 'nvlink' : 'pcie'
}

const COMPUTE_CAPABILITY: Record<string, string> = {
  H100: '9.0',
  H200: '9.0',
  H800: '9.0',
  A100: '8.0',
  A800: '8.0',
  A10: '8.6',
  A40: '8.6',
  RTXA6000: '8.6',
  RTX3080: '8.6',
  RTX3090: '8.6',
  RTX4080: '8.9',
  RTX4090: '8.9',
  L4: '8.9',
  L40: '8.9',
  L40S: '8.9',
  T4: '7.5',
  V100: '7.0',
}

/** The driver a simulated node claims to run. */
export const SIMULATED_DRIVER = { driverVersion: '550.54.15', cudaVersion: '12.4' }

/** Plausible details for a simulated GPU; all empty for a model the agent does not know. */
export function simulatedGpuDetails(model: string): {
  computeCapability: string
  driverVersion: string
  cudaVersion: string
  interconnect: Interconnect
} {
  const computeCapability = COMPUTE_CAPABILITY[model] ?? ''
  const known = computeCapability !== ''
  return {
    computeCapability,
    driverVersion: known ? SIMULATED_DRIVER.driverVersion : '',
    cudaVersion: known ? SIMULATED_DRIVER.cudaVersion : '',
    interconnect: interconnectFor(model, model, false),
  }
}
