import { sql, type Kysely } from 'kysely'

/** Meetings keep photos too (the same chunked upload as visits); meetings get new numbers so devices pull the field. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('photo_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema
    .alterTable('photos')
    .addColumn('owner_table', 'text', (c) => c.notNull().defaultTo('visits'))
    .execute()
  await sql`update meetings set seq = seq + (select value from counters where name = 'seq')`.execute(db)
  await sql`update counters set value = (select max(seq) from meetings) where name = 'seq' and (select max(seq) from meetings) > value`.execute(
    db,
  )
}
