import { PostgresAdapter, sql, type Kysely } from 'kysely'

/** The audit log is append-only in the database itself: no UPDATE or DELETE succeeds, whatever the code does. */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function audit_log_append_only() returns trigger as $$ begin raise exception 'audit_log is append-only'; end $$ language plpgsql`.execute(
      db,
    )
    await sql`create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(
      db,
    )
    return
  }
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
    db,
  )
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
    db,
  )
}
