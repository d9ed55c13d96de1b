import { DomainError } from '@idlegrid/errors'
import { describe, expect, it } from 'vitest'
import { answerEach, fromProblem, outcomesOf, toProblem } from '../src/batch.js'

describe('batch items across the wire', () => {
  it('carries a domain error as a problem and back, kind, code, message and field intact', () => {
    const err = new DomainError('insufficient_funds', 'insufficient_funds', 'balance too low', 'amountMicros')
    const back = fromProblem({ field: '', ...toProblem(err) } as never)
    expect(back).toMatchObject({
      kind: 'insufficient_funds',
      code: 'insufficient_funds',
      message: 'balance too low',
      field: 'amountMicros',
    })
  })

  it('never sends an unexpected error’s details, and reads an unknown kind as internal', () => {
    expect(toProblem(new Error('secret connection string'))).toEqual({
      kind: 'internal',
      code: 'internal',
      message: 'internal error',
    })
    expect(fromProblem({ kind: 'made_up', code: 'x', message: 'y', field: '' }).kind).toBe('internal')
  })

  it('answers each item on its own, in order, and reports only unexpected errors', async () => {
    const unexpected: unknown[] = []
    const answers = await answerEach(
      { rpc: 'test.Items', items: [1, 2, 3] },
      'value',
      async (n) => {
        if (n === 2) throw new DomainError('invalid_argument', 'two', 'no twos', 'n')
        if (n === 3) throw new Error('boom')
        return n * 10
      },
      (err) => unexpected.push(err),
    )
    expect(answers[0]).toEqual({ value: 10 })
    expect(answers[1]).toEqual({
      problem: { kind: 'invalid_argument', code: 'two', message: 'no twos', field: 'n' },
    })
    expect(answers[2]).toEqual({ problem: { kind: 'internal', code: 'internal', message: 'internal error' } })
    expect(unexpected).toHaveLength(1)
  })

  it('turns answers into outcomes, and an answer with neither result nor problem into an error', () => {
    const outcomes = outcomesOf<number>(
      [{ value: 1 }, { problem: { kind: 'conflict', code: 'c', message: 'm', field: '' } }, {}] as never,
      'value',
    )
    expect(outcomes[0]).toEqual({ ok: true, value: 1 })
    expect(outcomes[1]!.ok).toBe(false)
    expect((outcomes[1] as { error: DomainError }).error.kind).toBe('conflict')
    expect((outcomes[2] as { error: DomainError }).error.code).toBe('bad_batch_answer')
  })
})
