import { ValidationError } from '@idlegrid/errors'
import Value from 'typebox/value'
import { type JobName, jobCatalog } from './catalog.js'

/** Refuses a payload that does not match the catalog, naming the first bad field. */
export function checkPayload(name: JobName, payload: unknown): void {
  const schema = jobCatalog[name].payload
  if (Value.Check(schema, payload)) return
  const first = [...Value.Errors(schema, payload)][0]
  throw new ValidationError(`${name}${first?.instancePath ?? ''}`, first?.message ?? 'invalid payload')
}
