import { sql, type Kysely } from 'kysely'

/** 入党日期 (political birthday) and 转正日期 (start of 党龄), both optional calendar dates. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('joined_party_on', 'text').execute()
  await db.schema.alterTable('users').addColumn('full_member_on', 'text').execute()
  // Give every person a new change number above the current head, so devices that synced before
  // this version receive the new fields at their next pull.
  await sql`update users set seq = seq + (select value from counters where name = 'seq')`.execute(db)
  await sql`update counters set value = (select max(seq) from users) where name = 'seq' and (select max(seq) from users) > value`.execute(
    db,
  )
}
