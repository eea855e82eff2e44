import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/schema.ts'

/** The database answers. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}

/**
 * A write that needs new space, committed and then removed in the same transaction: it fails
 * exactly as a real write would while the disk is full.
 */
export async function writeProbe(db: Kysely<Database>, value: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('meta')
      .values({ key: 'storage_probe', value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute()
    await trx.deleteFrom('meta').where('key', '=', 'storage_probe').execute()
  })
}
