import { sql, type Kysely } from 'kysely'
import { randomUUID } from 'node:crypto'

/**
 * The organisation as administrators keep it: party groups (党小组) under branches, a person's
 * status, group, note and seat on the leadership body; the history of where people belonged
 * (membership events, never overwritten); one-time activation codes; the append-only audit log;
 * and public ids for sessions, so a member can see and sign out their devices.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('party_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('users').addColumn('group_id', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('full'))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('leadership', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  /** Bumped when what the person may see changes (branch, role): their devices then re-pull from scratch. */
  await db.schema
    .alterTable('users')
    .addColumn('scope_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  /** 0 until the person has set their own password with an activation code. */
  await db.schema
    .alterTable('users')
    .addColumn('activated', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.alterTable('users').addColumn('removed_at', 'text').execute()

  await db.schema
    .createTable('membership_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_branch_id', 'text')
    .addColumn('to_branch_id', 'text')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('membership_events_user').on('membership_events').columns(['user_id', 'at']).execute()

  await db.schema
    .createTable('activation_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('activation_codes_user').on('activation_codes').column('user_id').execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_org').on('audit_log').columns(['org_id', 'id']).execute()

  await db.schema.alterTable('sessions').addColumn('id', 'text').execute()
  /** 'logout' (the device itself) or 'remote' (signed out from elsewhere: the device wipes its data). */
  await db.schema.alterTable('sessions').addColumn('revoked_reason', 'text').execute()
  const rows = await sql<{ token_hash: string }>`select token_hash from sessions`.execute(db)
  for (const r of rows.rows) await sql`update sessions set id = ${randomUUID()} where token_hash = ${r.token_hash}`.execute(db)
  await db.schema.createIndex('sessions_id').on('sessions').column('id').unique().execute()

  // People now carry `removed`: renumber them above the head so devices pull the new field.
  await sql`update users set seq = seq + (select value from counters where name = 'seq')`.execute(db)
  await sql`update counters set value = (select max(seq) from users) where name = 'seq' and (select max(seq) from users) > value`.execute(
    db,
  )
}
