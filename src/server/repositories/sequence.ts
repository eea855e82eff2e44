import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * Next value of the server's change sequence. Called inside the writing transaction, so the
 * row and its sequence number become visible together. (SQLite serialises writers; the
 * PostgreSQL out-of-order-commit case is handled in the pull.)
 */
export async function nextSeq(trx: Kysely<Database>): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'seq')
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}
