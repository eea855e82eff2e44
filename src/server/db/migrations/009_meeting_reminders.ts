import { sql, type Kysely } from 'kysely'

/** The "meeting tomorrow" reminder setting; settings rows get new numbers so devices pull the field. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('reminder_settings')
    .addColumn('meeting_tomorrow', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await sql`update reminder_settings set seq = seq + (select value from counters where name = 'seq')`.execute(db)
  await sql`update counters set value = (select max(seq) from reminder_settings) where name = 'seq' and (select max(seq) from reminder_settings) > value`.execute(
    db,
  )
}
