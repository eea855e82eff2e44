import { sql, type Kysely } from 'kysely'

/**
 * A 谈心谈话 says its kind (谈心, 提醒谈话, 廉政谈话, 任前谈话), and its notes now reach only the two
 * who talked: every talk gets a new number, so each phone that holds one pulls it again — without
 * the notes where the phone's owner was not one of the two (a secretary's or an administrator's).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('talk_kind', 'text').execute()
  await sql`update meetings set seq = seq + (select value from counters where name = 'seq') where type = 'heart_talk'`.execute(db)
  await sql`update counters set value = (select max(seq) from meetings) where name = 'seq' and (select max(seq) from meetings) > value`.execute(
    db,
  )
}
