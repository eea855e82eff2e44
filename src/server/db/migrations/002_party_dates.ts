import type { Kysely } from 'kysely'

/** 入党日期 (political birthday) and 转正日期 (start of 党龄), both optional calendar dates. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('joined_party_on', 'text').execute()
  await db.schema.alterTable('users').addColumn('full_member_on', 'text').execute()
}
