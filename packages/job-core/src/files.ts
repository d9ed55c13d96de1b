/**
 * A job's files: inputs the agent fetches into the run's input directory
 * before the process starts, and the output directory it uploads (as one
 * .tar.gz) after the process exits. The rules both ends of the wire share.
 */

export interface JobInputSpec {
  uri: string
  /** Relative to the input directory. */
  path: string
  sha256?: string | undefined
}

/** The placeholders a render chunk fills in its command and output URI. */
const CHUNK_PLACEHOLDER = /\{(frameStart|frameEnd|chunk)\}/g

export function fillChunkPlaceholders(
  text: string,
  chunk: { index: number; frameStart: number; frameEnd: number },
): string {
  const values: Record<string, number> = {
    frameStart: chunk.frameStart,
    frameEnd: chunk.frameEnd,
    chunk: chunk.index,
  }
  return text.replace(CHUNK_PLACEHOLDER, (_, key: string) => String(values[key]))
}

/**
 * What is wrong with a spec's files, as a field and a sentence, or undefined:
 * two inputs may not land on one path (one would silently replace the other),
 * and a render job's chunks may not all upload to one URI (each would
 * overwrite the one before) — it names `{chunk}` in it instead. A render job
 * keeps no checkpoint, and a checkpoint interval needs a checkpoint URI.
 */
export function jobFilesProblem(
  spec: {
    inputs?: readonly JobInputSpec[] | undefined
    outputUri?: string | undefined
    checkpointUri?: string | undefined
    checkpointIntervalS?: number | undefined
  },
  render: boolean,
): { field: string; detail: string } | undefined {
  const seen = new Map<string, number>()
  for (const [i, input] of (spec.inputs ?? []).entries()) {
    const key = input.path.replace(/\/+$/, '')
    const first = seen.get(key)
    if (first !== undefined)
      return {
        field: `inputs.${i}.path`,
        detail: `"${input.path}" is inputs.${first}.path too: give each input its own path`,
      }
    seen.set(key, i)
  }
  if (render && spec.outputUri !== undefined && !spec.outputUri.includes('{chunk}'))
    return {
      field: 'outputUri',
      detail:
        "a render job's chunks would each overwrite the same upload: put {chunk} in it (filled per chunk)",
    }
  if (render && spec.checkpointUri !== undefined)
    return {
      field: 'checkpointUri',
      detail: 'a render chunk is retried whole, so it keeps no checkpoint: leave checkpointUri out',
    }
  if (spec.checkpointIntervalS !== undefined && spec.checkpointUri === undefined)
    return {
      field: 'checkpointIntervalS',
      detail: 'is how often checkpoints are saved: it needs checkpointUri',
    }
  return undefined
}
