import type { Kysely } from 'kysely'

/**
 * 党费: each member's declaration (category, base in 分, the month they owe from), the receipts the
 * branch's 收缴员 records, the months each receipt covers (one member-month is paid once: the
 * primary key refuses a second receipt for it, whichever phone sent it), and the branch's 收缴员.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('branches').addColumn('dues_collector_id', 'text').execute()

  await db.schema
    .createTable('dues_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('base_fen', 'integer')
    .addColumn('from_month', 'text', (c) => c.notNull())
    .addColumn('checked_on', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('dues_profiles_org_seq').on('dues_profiles').columns(['org_id', 'seq']).execute()

  await db.schema
    .createTable('dues_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('months', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('base_fen', 'integer')
    .addColumn('monthly_fen', 'integer')
    .addColumn('collector_id', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('dues_payments_org_seq').on('dues_payments').columns(['org_id', 'seq']).execute()
  await db.schema.createIndex('dues_payments_member').on('dues_payments').columns(['member_id', 'received_on']).execute()

  await db.schema
    .createTable('dues_paid_months')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dues_paid_months_pk', ['member_id', 'month'])
    .execute()
  await db.schema.createIndex('dues_paid_months_payment').on('dues_paid_months').columns(['payment_id']).execute()
}
