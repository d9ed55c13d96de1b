import { describe, expect, it } from 'vitest'
import type * as sdk from '../src/index.js'
import { FINAL_STATUSES } from '../src/index.js'

/**
 * The named types are picked out of the generated ones by path, method and
 * status; a renamed path or status would silently turn one into `never` (or
 * `unknown`). These assertions fail `pnpm typecheck` instead.
 */
type Real<T> = [T] extends [never] ? false : unknown extends T ? false : true
type Assert<T extends true> = T
export type NamedTypesAreReal = [
  Assert<Real<sdk.Job>>,
  Assert<Real<sdk.JobSpec>>,
  Assert<Real<sdk.JobStatus>>,
  Assert<Real<sdk.Node>>,
  Assert<Real<sdk.Account>>,
  Assert<Real<sdk.SignupRequest>>,
  Assert<Real<sdk.OfferQuery>>,
  Assert<Real<sdk.OfferSearch>>,
  Assert<Real<sdk.Offer>>,
  Assert<Real<sdk.JobListQuery>>,
  Assert<Real<sdk.JobPage>>,
  Assert<Real<sdk.Explanation>>,
  Assert<Real<sdk.Invoice>>,
  Assert<Real<sdk.Balance>>,
  Assert<Real<sdk.BalanceQuery>>,
  Assert<Real<sdk.DepositRequest>>,
  Assert<Real<sdk.StatementQuery>>,
  Assert<Real<sdk.Statement>>,
  Assert<Real<sdk.PayoutRequest>>,
  Assert<Real<sdk.Payout>>,
  Assert<Real<sdk.EnrolledNode>>,
  Assert<Real<sdk.NodeList>>,
  Assert<Real<sdk.NodePriceRequest>>,
]

describe('job statuses', () => {
  it('name the final ones from the generated status union', () => {
    const all: sdk.JobStatus[] = ['queued', 'placed', 'running', 'succeeded', 'failed', 'cancelled']
    expect(all.filter((s) => FINAL_STATUSES.includes(s))).toEqual(['succeeded', 'failed', 'cancelled'])
  })
})
