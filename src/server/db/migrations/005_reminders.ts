import type { Kysely } from 'kysely'

/**
 * Reminders: each person's reminder settings (a synced row, written offline like any other),
 * their Web Push subscriptions (one per browser), and the reminders already sent (one row per
 * person, kind and key, claimed before sending so several processes never send twice).
 * The server's VAPID key pair is kept in `meta`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reminder_settings')
    .addColumn('id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('birthday', 'integer', (c) => c.notNull())
    .addColumn('branch_week_ahead', 'integer', (c) => c.notNull())
    .addColumn('study_gap', 'integer', (c) => c.notNull())
    .addColumn('unsynced', 'integer', (c) => c.notNull())
    .addColumn('quiet_start', 'text', (c) => c.notNull())
    .addColumn('quiet_end', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('reminder_settings_seq').on('reminder_settings').columns(['id', 'seq']).execute()

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('endpoint', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .execute()
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute()

  await db.schema
    .createTable('reminders_sent')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_sent_pk', ['user_id', 'kind', 'key'])
    .execute()
}
