import type { Kysely } from 'kysely'

/**
 * Reminder channels besides Web Push (企业微信 / 政务微信, SMS): each person's chosen channels (a
 * synced field of their settings), their WeCom user id (set by an administrator or found by their
 * phone; never synced), the channel that delivered each reminder, and the failures the
 * administrator sees (server only: one row per reminder and channel, counting the attempts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reminder_settings').addColumn('channels', 'text').execute()
  await db.schema.alterTable('users').addColumn('wecom_userid', 'text').execute()
  await db.schema.alterTable('reminders_sent').addColumn('channel', 'text').execute()
  await db.schema
    .createTable('reminder_failures')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminder_failures_pk', ['user_id', 'kind', 'key', 'channel'])
    .execute()
  await db.schema.createIndex('reminder_failures_recent').on('reminder_failures').columns(['org_id', 'last_at']).execute()
}
