import { createDb, inTransaction, type Kysely, migrateToLatest } from '@idlegrid/db'
import { jobSpecPayload } from '@idlegrid/queue'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DecisionRow,
  findDecision,
  findDecisions,
  forgetJob,
  saveDecision,
  saveDecisions,
} from '../src/db/decisions.js'
import { matchingMigrations } from '../src/db/migrations/index.js'
import type { MatchingDb } from '../src/db/schema.js'

const env = useTestEnv()
let db: Kysely<MatchingDb>

beforeAll(async () => {
  db = createDb<MatchingDb>(env.databaseUrl, { max: 2 })
  await migrateToLatest(db as Kysely<unknown>, matchingMigrations)
})
afterAll(async () => {
  await db.destroy()
})

const spec = jobSpecPayload({
  kind: 'training',
  command: ['true'],
  gpus: { count: 2, models: ['L4'], minVramMib: 0 },
  maxDurationS: 60,
})
const decision = (jobId: string, over: Partial<DecisionRow> = {}): DecisionRow => ({
  job_id: jobId,
  customer_id: 'cus_1',
  hold_id: `hold_${jobId}`,
  spec,
  outcome: 'placed',
  node_id: 'node_a',
  assignment_id: `asg_${jobId}_1`,
  nodes_considered: 12,
  rejections: { gpu_model: 3, 'quote\'s "max" price': 1 },
  summary: 'placed on node_a',
  unsatisfiable: false,
  candidates: [{ nodeId: 'node_a', gpuIndexes: [0, 3], total: 87.5, scores: { price: 90, packing: 80 } }],
  hints: ['none'],
  decided_at: new Date('2026-11-25T10:00:00.123Z'),
  nominated_ranks: null,
  nominated_until: null,
  ...over,
})
/** A gang waiting for the work it preempted to stop: GPUs held for it on two nodes. */
const nominated = (jobId: string) =>
  decision(jobId, {
    outcome: 'waiting',
    node_id: null,
    assignment_id: null,
    nominated_ranks: [
      { nodeId: 'node_b', gpuIndexes: [1, 2] },
      { nodeId: 'node_c', gpuIndexes: [0, 1] },
    ],
    nominated_until: new Date('2026-11-25T10:05:00.000Z'),
  })
const save = (rows: { row: DecisionRow; requeuedFrom?: string }[]) =>
  inTransaction(db, (trx) => saveDecisions(trx, rows))

describe('saveDecisions', () => {
  it('writes every column of many decisions as they were decided', async () => {
    const rows = [decision('job_1'), nominated('job_2')]
    await save(rows.map((row) => ({ row })))
    const stored = await findDecisions(db, ['job_1', 'job_2'])
    expect(stored.get('job_1')).toEqual(rows[0])
    expect(stored.get('job_2')).toEqual(rows[1])
  })

  it('keeps a placed decision, unless this one replaces that very run; never overwrites a cancelled one', async () => {
    await save([
      { row: decision('job_p') },
      { row: decision('job_r') },
      { row: decision('job_c', { outcome: 'waiting', node_id: null, assignment_id: null }) },
    ])
    await forgetJob(db, 'job_c')
    await save([
      // A late repeat of the batch must not move the job to another run.
      { row: decision('job_p', { assignment_id: 'asg_job_p_2', node_id: 'node_z' }) },
      // The run it was placed by was lost: placed again.
      {
        row: decision('job_r', { assignment_id: 'asg_job_r_2', node_id: 'node_z' }),
        requeuedFrom: 'asg_job_r_1',
      },
      { row: decision('job_c') },
      { row: decision('job_new') },
    ])
    expect((await findDecision(db, 'job_p'))?.assignment_id).toBe('asg_job_p_1')
    expect(await findDecision(db, 'job_r')).toMatchObject({ assignment_id: 'asg_job_r_2', node_id: 'node_z' })
    expect(await findDecision(db, 'job_c')).toMatchObject({ outcome: 'cancelled', assignment_id: null })
    expect((await findDecision(db, 'job_new'))?.outcome).toBe('placed')
  })
})

describe('saveDecision', () => {
  it("writes a gang's nomination, every rank's GPUs, as decided; cancelling clears it", async () => {
    const row = nominated('job_gang_nominated')
    await inTransaction(db, (trx) => saveDecision(trx, row))
    expect(await findDecision(db, 'job_gang_nominated')).toEqual(row)
    await forgetJob(db, 'job_gang_nominated')
    expect(await findDecision(db, 'job_gang_nominated')).toMatchObject({
      outcome: 'cancelled',
      nominated_ranks: null,
      nominated_until: null,
    })
  })
})
