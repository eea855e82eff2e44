import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oath_renewals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('branch_id', 'text')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('oath_org_seq').on('oath_renewals').columns(['org_id', 'seq']).execute()
  await db.schema.createIndex('oath_branch_seq').on('oath_renewals').columns(['branch_id', 'seq']).execute()
  await db.schema.createIndex('oath_owner_seq').on('oath_renewals').columns(['owner_id', 'seq']).execute()
}
