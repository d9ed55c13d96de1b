const reasonText: Record<string, string> = {
  node_offline: 'offline',
  node_suspect: 'not heard from lately',
  node_draining: 'draining',
  node_quarantined: 'quarantined',
  node_off_hours: "outside their provider's hours",
  hours_end_too_soon: "closing (their provider's hours) before the job's maxDurationS",
  region: 'in another region',
  country: 'in another country',
  over_max_price: 'over max price',
  gpu_model: 'without the GPU model',
  too_little_vram: 'with too little VRAM',
  compute_capability: 'with too low a compute capability',
  cuda_version: 'with too old a CUDA',
  driver_version: 'with too old a driver',
  too_few_gpus: 'with too few GPUs',
  too_few_free_gpus: 'busy (too few free GPUs)',
  low_reputation: 'with too low a reputation',
  no_interruptible: 'not taking interruptible work',
  excluded_provider: 'of excluded providers',
  excluded_node: 'excluded',
}

/**
 * "0/3 nodes fit: 2 without the GPU model, 1 busy (too few free GPUs)".
 * `unchecked`: nodes that might fit but were not read because enough were
 * found ("100/5000 nodes fit: …, 3900 not checked").
 */
export function summarize(
  fit: number,
  total: number,
  rejections: Record<string, number>,
  unchecked = 0,
): string {
  const parts = Object.entries(rejections)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} ${reasonText[reason] ?? reason}`)
  if (unchecked > 0) parts.push(`${unchecked} not checked`)
  return `${fit}/${total} nodes fit${parts.length ? `: ${parts.join(', ')}` : ''}`
}
