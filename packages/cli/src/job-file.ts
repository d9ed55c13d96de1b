import { readFileSync } from 'node:fs'
import type { JobSpec } from '@idlegrid/sdk'
import { parse, YAMLParseError } from 'yaml'
import { UsageError } from './command.js'

/**
 * A job file: the JSON body of POST /v1/jobs, written as YAML or JSON (YAML
 * reads both). Two conveniences: `command` may be a string, run by `sh -c`,
 * and `gpus` a number, that many GPUs of any model. Everything else is
 * checked by the API, which names the offending field.
 */
export function readJobFile(path: string): JobSpec {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  let doc: unknown
  try {
    doc = parse(text, { prettyErrors: true })
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0]
      throw new UsageError(`${path}${at ? `:${at.line}:${at.col}` : ''}: ${err.message.split('\n')[0]}`)
    }
    throw err
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`${path} must hold one job: a mapping with kind, command, gpus and maxDurationS`)
  const spec = doc as Record<string, unknown>
  if (typeof spec.command === 'string') spec.command = ['sh', '-c', spec.command]
  if (typeof spec.gpus === 'number') spec.gpus = { count: spec.gpus }
  return spec as unknown as JobSpec
}

export const JOB_FILE_EXAMPLE = `# job.yaml: the fields of POST /v1/jobs (see the API's /openapi.json)
kind: training                 # training | inference | render
command: ["python3", "-c", "print(42)"]   # or a string, run by sh -c
gpus:                          # or just the count: gpus: 1
  count: 1
  models: [RTX4090, A100]      # any of ("rtx 4090" is RTX4090); leave out for any model
  minVramMib: 20000
maxDurationS: 3600             # funds for this long are held, only what runs is charged
maxPricePerGpuHourMicros: 600000   # $0.60 per GPU-hour, at most
regions: [eu-west]
minCudaVersion: "12.2"
env:
  EPOCHS: "3"
metadata:                      # your own labels: shown with the job; idlegrid jobs --metadata pipeline:nightly
  pipeline: nightly
# files: inputs are fetched into $IDLEGRID_INPUT_DIR (where the command starts) first;
# after it exits, $IDLEGRID_OUTPUT_DIR is uploaded as one .tar.gz (HTTP PUT, e.g. presigned)
# inputs:
#   - {uri: "https://bucket.example/train.csv?X-Amz-Signature=…", path: data/train.csv}
# outputUri: "https://bucket.example/run-1.tar.gz?X-Amz-Signature=…"   # render: put {chunk} in it
# checkpoints: keep $IDLEGRID_CHECKPOINT_DIR there (GET and PUT), saved every
# checkpointIntervalS while it changes and when the node stops the run; a job
# requeued elsewhere (its node shut down or lost, or preempted) starts with it
# checkpointUri: "https://ckpt.example/run-1.tar.gz"   # a gang job: {rank} keeps one per rank
# checkpointIntervalS: 300
# maxRetries: 2                # run it again when it fails (not on its time limit): funds for 3 runs are held
# dependsOn: [job_01j9x…]      # start only once these jobs of yours have succeeded (cancelled if one fails)
# notBefore: "2026-11-28T02:00:00Z"   # scheduled: held now, matched from then on (at most 7 days ahead)
# maxWaitS: 600                # not placed within 10 minutes: cancelled, its hold given back
# render only: frames 1..1000 as 20 chunks of 50, each run on whichever node is free;
# {frameStart}, {frameEnd} and {chunk} in the command are filled in per chunk
# render: {frameStart: 1, frameEnd: 1000, chunkSize: 50}`
