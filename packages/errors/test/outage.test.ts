import { describe, expect, it } from 'vitest'
import { isStoreOutage, storeOutage } from '../src/index.js'

/** An error as pg, pg-pool, ioredis or node's net module throws it: a message and, often, a code. */
const failure = (message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), fields)

describe('isStoreOutage: a store out of reach is told from a fault of the request or the code', () => {
  it.each([
    [
      'Postgres ended the connection (restart, failover)',
      failure('terminating connection due to administrator command', { code: '57P01' }),
    ],
    [
      'Postgres crashed',
      failure('terminating connection because of crash of another server process', { code: '57P02' }),
    ],
    ['Postgres still starting', failure('the database system is starting up', { code: '57P03' })],
    ['no connection slot left', failure('sorry, too many clients already', { code: '53300' })],
    ['a connection exception', failure('connection failure', { code: '08006' })],
    ['refused', failure('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['reset', failure('read ECONNRESET', { code: 'ECONNRESET' })],
    ['pg: the socket closed', failure('Connection terminated unexpectedly')],
    ['pg-pool: no connection within the timeout', failure('timeout exceeded when trying to connect')],
    [
      'pg: a client after its connection failed',
      failure('Client has encountered a connection error and is not queryable'),
    ],
    ['ioredis: the connection closed', failure('Connection is closed.')],
    [
      'ioredis: gave up retrying a command',
      Object.assign(failure('Reached the max retries per request limit (which is 20).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'Redis refusing the credentials',
      failure('WRONGPASS invalid username-password pair or user is disabled.'),
    ],
    ['Redis loading its data', failure('LOADING Redis is loading the dataset in memory')],
    ['a replica after a failover', failure("READONLY You can't write against a read only replica.")],
    [
      'every address refused (AggregateError)',
      new AggregateError(
        [
          failure('connect ECONNREFUSED ::1:6379', { code: 'ECONNREFUSED' }),
          failure('connect ECONNREFUSED 127.0.0.1:6379', { code: 'ECONNREFUSED' }),
        ],
        '',
      ),
    ],
    [
      'wrapped as a cause',
      failure('could not place the hold', { cause: failure('Connection terminated unexpectedly') }),
    ],
  ])('%s → an outage', (_, err) => {
    expect(isStoreOutage(err)).toBe(true)
  })

  it.each([
    [
      'a unique violation',
      failure('duplicate key value violates unique constraint "jobs_pkey"', { code: '23505' }),
    ],
    [
      'a serialization failure (retried by the transaction, not an outage)',
      failure('could not serialize access', { code: '40001' }),
    ],
    ['a syntax error in our SQL', failure('syntax error at or near "selct"', { code: '42601' })],
    ['a Lua script error', failure('ERR Error running script (call to f_1234): user_script:1: bad argument')],
    ['a TypeError of our own', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'Connection terminated'],
    ['null', null],
  ])('%s → not an outage', (_, err) => {
    expect(isStoreOutage(err)).toBe(false)
  })

  it('answers an outage as unavailable with a code a client can branch on, naming nothing inside', () => {
    const err = storeOutage()
    expect(err.kind).toBe('unavailable')
    expect(err.code).toBe('store_unavailable')
    expect(err.message).toMatch(/retry/)
  })
})
