import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes,
// so it spells out its lists instead of importing them from ledger-core.
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('billing')
  await schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('customer_available', 'customer_held', 'provider_earnings', 'platform_fees', 'external')`,
        ),
    )
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('no_overdraft', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The last line of defence: even a bug in the service cannot overdraw real money.
    .addCheckConstraint('accounts_no_overdraft', sql`not no_overdraft or balance >= 0`)
    .execute()

  await schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('billing.accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('billing.accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('debit_balance_after', 'bigint', (c) => c.notNull())
    .addColumn('credit_balance_after', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('transfers_two_accounts', sql`debit_account_id <> credit_account_id`)
    .execute()
  await schema.createIndex('transfers_debit_idx').on('transfers').column('debit_account_id').execute()
  await schema.createIndex('transfers_credit_idx').on('transfers').column('credit_account_id').execute()
  // Transfers are history: corrections are new transfers, never edits.
  await sql`
    create function billing.transfers_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'billing.transfers is append-only (% refused)', tg_op;
    end $$`.execute(db)
  await sql`
    create trigger transfers_immutable before update or delete on billing.transfers
    for each row execute function billing.transfers_immutable()`.execute(db)

  await schema
    .createTable('holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('fee_bps', 'integer', (c) => c.notNull().check(sql`fee_bps between 0 and 10000`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'settled', 'voided')`))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('resolution_hash', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('charged', 'bigint')
    .addColumn('provider_earned', 'bigint')
    .addColumn('fee', 'bigint')
    .addColumn('released', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addCheckConstraint('holds_resolved_once', sql`(state = 'pending') = (resolved_at is null)`)
    .addCheckConstraint(
      'holds_settlement_adds_up',
      sql`state <> 'settled' or (charged + released = amount and provider_earned + fee = charged)`,
    )
    .execute()
  await schema.createIndex('holds_customer_idx').on('holds').columns(['customer_id', 'created_at']).execute()
}
