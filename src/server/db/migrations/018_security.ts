import { PostgresAdapter, sql, type Kysely } from 'kysely'

/** The audit log's shortest retention (网络安全法 Art.21: network logs kept at least six months). */
export const AUDIT_MIN_RETENTION_DAYS = 180

/**
 * Administrator two-factor login (TOTP), the step-up window of administrators' sessions, the demo
 * organisation's flag, and the audit log's retention: entries may now be deleted, but only once
 * they are older than six months, in the database itself (updates stay refused).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The enrolled secret (encrypted, see lib/two-factor.ts), one being enrolled, when enrolment was
  // confirmed, and the last time step accepted (a code is accepted once).
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute()
  await db.schema.alterTable('users').addColumn('totp_pending', 'text').execute()
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('totp_last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  // 1: the password in use breaks the password policy (seen at a login): the app asks for a new one.
  await db.schema
    .alterTable('users')
    .addColumn('password_weak', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // Last administrator action (or sign-in) of the session: /api/admin/* asks to sign in again after the idle timeout.
  await db.schema.alterTable('sessions').addColumn('elevated_at', 'text').execute()
  await db.schema
    .alterTable('organizations')
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute()
  // A password accepted, the code still to come: the second step names the person by this token (its hash stored).
  await db.schema
    .createTable('login_challenges')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()

  const days = AUDIT_MIN_RETENTION_DAYS
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger audit_log_append_only on audit_log`.execute(db)
    await sql
      .raw(
        `create function audit_log_retention() returns trigger as $$ begin
           if tg_op = 'DELETE' and old.at < to_char((now() at time zone 'utc') - interval '${days} days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') then
             return old;
           end if;
           raise exception 'audit_log is append-only (entries younger than ${days} days are kept)';
         end $$ language plpgsql`,
      )
      .execute(db)
    await sql`create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_retention()`.execute(
      db,
    )
    return
  }
  await sql`drop trigger audit_log_no_delete`.execute(db)
  await sql
    .raw(
      `create trigger audit_log_no_delete before delete on audit_log
       when old.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${days} days')
       begin select raise(abort, 'audit_log is append-only (entries younger than ${days} days are kept)'); end`,
    )
    .execute(db)
}
