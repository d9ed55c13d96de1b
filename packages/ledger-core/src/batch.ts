import { ConflictError, type DomainError, isDomainError, ValidationError } from '@idlegrid/errors'
import type { Micros } from './money.js'
import { type PostedTransfer, postOne, type Transfer } from './transfers.js'

/**
 * A batch of independent transfers, as TigerBeetle's create_transfers: each
 * is posted or refused on its own, in order, and a refusal does not stop the
 * others. The id is the idempotency key: an id already in the ledger (or
 * earlier in the batch) with the same request fingerprint is reported as
 * existing and moves nothing again; with another fingerprint it is refused.
 */
export interface TransferRequest extends Transfer {
  /** Fingerprint of the request body; the same id must always come with the same one. */
  requestHash: string
}

export type BatchOutcome =
  | { id: string; status: 'created'; posted: PostedTransfer }
  | { id: string; status: 'exists' }
  | { id: string; status: 'refused'; error: DomainError }

export interface BatchPlan {
  /** Every balance after the batch (the input map is not modified). */
  balances: Map<string, Micros>
  /** The transfers to record, in order. */
  posted: (PostedTransfer & { requestHash: string })[]
  outcomes: BatchOutcome[]
}

/**
 * Plans a batch against the current balances of every account it touches and
 * the fingerprints of the ids it names that the ledger already holds.
 */
export function planBatch(
  balances: ReadonlyMap<string, Micros>,
  recorded: ReadonlyMap<string, string>,
  requests: readonly TransferRequest[],
): BatchPlan {
  const next = new Map(balances)
  const fingerprints = new Map(recorded)
  const posted: BatchPlan['posted'] = []
  const outcomes = requests.map((r): BatchOutcome => {
    const known = fingerprints.get(r.id)
    if (known !== undefined) {
      if (known === r.requestHash) return { id: r.id, status: 'exists' }
      return { id: r.id, status: 'refused', error: reused(r.id) }
    }
    try {
      const { requestHash, ...transfer } = r
      const one = postOne(next, transfer)
      posted.push({ ...one, requestHash })
      fingerprints.set(r.id, requestHash)
      return { id: r.id, status: 'created', posted: one }
    } catch (err) {
      return { id: r.id, status: 'refused', error: asDomainError(r.id, err) }
    }
  })
  return { balances: next, posted, outcomes }
}

const reused = (id: string) =>
  new ConflictError('idempotency_key_reused', `transfer id ${id} was already used for a different transfer`)

/** A malformed transfer in a batch is the caller's input, not a bug here. */
function asDomainError(id: string, err: unknown): DomainError {
  if (isDomainError(err)) return err
  return new ValidationError(`transfers[${id}]`, (err as Error).message)
}
