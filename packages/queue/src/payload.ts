import { ValidationError } from '@idlegrid/errors'
import Compile from 'typebox/compile'
import Value from 'typebox/value'
import { type JobName, jobCatalog } from './catalog.js'

/**
 * Each queue's payload schema compiled once, on first use: every message is
 * checked where it is produced and where it is consumed, and the interpreted
 * check was a few per cent of the registry's and matching's CPU at hundreds
 * of placements a second (bench:placement).
 */
const compiled = new Map<JobName, ReturnType<typeof Compile>>()

/** Refuses a payload that does not match the catalog, naming the first bad field. */
export function checkPayload(name: JobName, payload: unknown): void {
  const schema = jobCatalog[name].payload
  let validator = compiled.get(name)
  if (!validator) {
    validator = Compile(schema)
    compiled.set(name, validator)
  }
  if (validator.Check(payload)) return
  const first = [...Value.Errors(schema, payload)][0]
  throw new ValidationError(`${name}${first?.instancePath ?? ''}`, first?.message ?? 'invalid payload')
}
