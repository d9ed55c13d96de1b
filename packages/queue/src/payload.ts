import { ValidationError } from '@idlegrid/errors'
import { Compile, type Validator } from 'typebox/compile'
import Value from 'typebox/value'
import { type JobName, jobCatalog } from './catalog.js'

/**
 * Each job's payload schema compiled once, on first use: every message is
 * checked where it is written (outbox), sent and taken, so the check runs on
 * hot paths (a job submission checks its match request twice), where
 * interpreting the schema each time cost several % of the gateway's CPU.
 */
const compiled = new Map<JobName, Validator>()

/** Refuses a payload that does not match the catalog, naming the first bad field. */
export function checkPayload(name: JobName, payload: unknown): void {
  const schema = jobCatalog[name].payload
  let validator = compiled.get(name)
  if (!validator) {
    validator = Compile(schema) as Validator
    compiled.set(name, validator)
  }
  if (validator.Check(payload)) return
  const first = [...Value.Errors(schema, payload)][0]
  throw new ValidationError(`${name}${first?.instancePath ?? ''}`, first?.message ?? 'invalid payload')
}
