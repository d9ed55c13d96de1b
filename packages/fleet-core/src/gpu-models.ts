/**
 * One name per GPU model on both sides of the market. Agents report what
 * the driver prints ("NVIDIA GeForce RTX 4090"), customers type what they
 * know ("rtx 4090", "RTX4090", "A100-SXM4-80GB"); matching compares names
 * exactly, so both are reduced to the same marketplace name ("RTX4090",
 * "A100") before they are stored or compared. Memory size and form factor
 * are not part of the name: VRAM is asked for on its own (`minVramMib`).
 */

/** Words in driver names that say who made or branded the card, not which card it is. */
const brandWords = new Set(['NVIDIA', 'GEFORCE', 'TESLA', 'QUADRO', 'GPU', 'GENERATION'])
/** Form factor and memory suffixes: "A100-SXM4-80GB", "H100 80GB HBM3", "A100 80GB PCIe". */
const variantWord = /^(SXM\d*|PCIE|\d+GB|HBM\d*E?|NVL)$/

/**
 * The marketplace name of a GPU model: "NVIDIA GeForce RTX 4090" → "RTX4090",
 * "NVIDIA H100 80GB HBM3" → "H100", "a100-sxm4-80gb" → "A100", "RTX4090" →
 * itself. A name of nothing but brand words is kept, upper-cased.
 */
export function normaliseGpuModel(name: string): string {
  const words = name
    .toUpperCase()
    .split(/[\s-]+/)
    .filter((word) => word !== '' && !brandWords.has(word) && !variantWord.test(word))
  return words.join('') || name.trim().toUpperCase()
}

/** A customer's "any of these models", by marketplace name, each once, in the order given. */
export function normaliseGpuModels(names: readonly string[]): string[] {
  return [...new Set(names.map(normaliseGpuModel))]
}
