import type { Kysely } from 'kysely'

/** A photo belongs to a visit or a meeting (`owner_table`): its owner's id is `owner_id`, no longer `visit_id`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('photos').renameColumn('visit_id', 'owner_id').execute()
}
