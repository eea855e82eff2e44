import type { Kysely } from 'kysely'

/**
 * Issue 17, privacy: 投诉建议 (feedback, a synced table), the privacy notice's acceptances and the
 * separate consents (consent_events, append-only: who, what, which version, when), and whether a
 * 双联系 household was told (告知) and by whom.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text')
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('feedback_org_seq').on('feedback').columns(['org_id', 'seq']).execute()
  await db.schema.createIndex('feedback_author_seq').on('feedback').columns(['author_id', 'seq']).execute()

  await db.schema
    .createTable('consent_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('consent_events_user').on('consent_events').columns(['user_id', 'kind', 'at']).execute()

  await db.schema.alterTable('households').addColumn('informed_on', 'text').execute()
  await db.schema.alterTable('households').addColumn('informed_by', 'text').execute()
}
