import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A heartbeat flush rewrote last_heartbeat_at on ~2,000 node
// rows a second at 10,000 nodes, and first locked them in id order so that
// it could never deadlock with a completion batch crediting the same nodes:
// two tuple writes per node, 48 ms of Postgres a flush, and waits behind
// completions under load (77 ms). The stamp now lives in a narrow table that
// only connecting agents and the flush write (the heartbeat row first, then
// the node's, in both), so the flush is one plain UPDATE and node rows are
// written only when a suspect node is heard from again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry.node_heartbeats (
      node_id text primary key references registry.nodes (id) on delete cascade,
      at timestamptz not null
    );
    insert into registry.node_heartbeats (node_id, at)
      select id, last_heartbeat_at from registry.nodes where last_heartbeat_at is not null;
    alter table registry.nodes drop column last_heartbeat_at;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.nodes add column last_heartbeat_at timestamptz;
    update registry.nodes n set last_heartbeat_at = h.at from registry.node_heartbeats h where h.node_id = n.id;
    drop table registry.node_heartbeats;
  `.execute(db)
}
