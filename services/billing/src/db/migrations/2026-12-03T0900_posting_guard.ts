import { type Kysely, sql } from '@idlegrid/db'

/**
 * The guard of a posting planned on balances read without locks (a batch
 * of holds: see placeHolds). Run inside the posting's own statement, it
 * takes the locks every writer takes, in the same order (the customers'
 * accounts in id order, then the chain heads in currency order), and refuses
 * with a serialization failure (40001) unless each head still has the seq
 * read. Every posting of a currency moves that currency's head, so an
 * unmoved head means none of its accounts changed either: the balances read
 * are current and the planned transfers chain onto the head as it is.
 * Otherwise the whole statement is rolled back and the caller plans again
 * under locks. Frozen in time: spells out its tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function billing.posting_unchanged(p_accounts text[], p_currencies text[], p_seqs bigint[])
    returns boolean language plpgsql volatile as $$
    begin
      perform 1 from billing.accounts where id = any(p_accounts) order by id collate "C" for update;
      perform 1 from billing.chain_heads where currency = any(p_currencies) order by currency collate "C" for update;
      if exists (
        select 1 from unnest(p_currencies, p_seqs) as v (currency, seq)
        left join billing.chain_heads h on h.currency = v.currency
        where h.seq is distinct from v.seq
      ) then
        raise exception 'the ledger moved after it was read' using errcode = '40001';
      end if;
      return true;
    end $$`.execute(db)
}
