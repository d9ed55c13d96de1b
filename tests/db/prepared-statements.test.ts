import { createDb, type Kysely, sql } from '@idlegrid/db'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const env = useTestEnv()
let db: Kysely<unknown>

beforeAll(() => {
  // One connection: what it has prepared is what every statement below used.
  db = createDb(env.databaseUrl, { max: 1 })
})
afterAll(async () => {
  await db.destroy()
})

const prepared = async () =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
    (r) => r.statement,
  )

describe('createDb statements', () => {
  it('prepares a parameterised statement once per connection and reuses it', async () => {
    const text = 'select $1::int + 1 as next'
    for (const n of [1, 41]) {
      const { rows } = await sql<{ next: number }>`select ${n}::int + 1 as next`.execute(db)
      expect(rows).toEqual([{ next: n + 1 }])
    }
    const statements = await prepared()
    expect(statements.filter((s) => s === text)).toHaveLength(1)
  })

  it('runs a text without parameters as it is, several statements included (migrations)', async () => {
    await sql`create table notes (id int primary key, body text); insert into notes values (1, 'one')`.execute(
      db,
    )
    const { rows } = await sql<{ body: string }>`select body from notes where id = ${1}`.execute(db)
    expect(rows).toEqual([{ body: 'one' }])
    expect(await prepared()).not.toContain(
      "create table notes (id int primary key, body text); insert into notes values (1, 'one')",
    )
  })

  it('reports a bad statement as an error and keeps serving the connection', async () => {
    await expect(sql`select * from no_such_table where id = ${1}`.execute(db)).rejects.toThrow(
      /no_such_table/,
    )
    await expect(sql`select * from no_such_table where id = ${2}`.execute(db)).rejects.toThrow(
      /no_such_table/,
    )
    const { rows } = await sql<{ ok: boolean }>`select ${true}::boolean as ok`.execute(db)
    expect(rows).toEqual([{ ok: true }])
  })
})
