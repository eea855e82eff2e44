import type { Kysely } from 'kysely'

/**
 * Login and activation attempts, counted in the database so that every server process shares one
 * allowance (see server/lib/attempt-limits.ts). Both tables are pruned as they go: a counter
 * lives a minute or two, a run of failures a day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Attempts per key (an address or an account) in the minute that began with the first of them.
  await db.schema
    .createTable('attempt_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('attempt_counters_window').on('attempt_counters').column('window_start').execute()
  // Failures in a row per account, and until when it is locked.
  await db.schema
    .createTable('attempt_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute()
  await db.schema.createIndex('attempt_failures_last').on('attempt_failures').column('last_failed_at').execute()
}
