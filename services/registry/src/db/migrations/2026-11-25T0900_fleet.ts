import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('registry')
  await schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('online', 'offline')`))
    .addColumn('price_per_gpu_hour_micros', 'bigint', (c) =>
      c.notNull().check(sql`price_per_gpu_hour_micros > 0`),
    )
    .addColumn('cpu_cores', 'integer', (c) => c.notNull())
    .addColumn('ram_mib', 'bigint', (c) => c.notNull())
    .addColumn('simulated', 'boolean', (c) => c.notNull())
    .addColumn('agent_version', 'text', (c) => c.notNull())
    .addColumn('last_heartbeat_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await schema.createIndex('nodes_state_idx').on('nodes').column('state').execute()
  await schema
    .createTable('gpus')
    .addColumn('node_id', 'text', (c) => c.notNull().references('registry.nodes.id'))
    .addColumn('index', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('vram_mib', 'integer', (c) => c.notNull())
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('assignment_id', 'text')
    .addPrimaryKeyConstraint('gpus_pk', ['node_id', 'index'])
    .execute()
  await schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // One placement per job: a retried reservation cannot place a job twice.
    .addColumn('job_id', 'text', (c) => c.notNull().unique())
    .addColumn('node_id', 'text', (c) => c.notNull().references('registry.nodes.id'))
    .addColumn('gpu_indexes', sql`integer[]`, (c) => c.notNull())
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('price_per_gpu_hour_micros', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'acked', 'completed')`))
    .addColumn('last_progress_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('exit_code', 'integer')
    .addColumn('wall_ms', 'bigint')
    .addColumn('gpu_seconds', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acked_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .execute()
  await schema
    .createIndex('assignments_node_state_idx')
    .on('assignments')
    .columns(['node_id', 'state'])
    .execute()
}
