import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../src/server/db/schema.ts'

/**
 * Everything an administrator with database access can read from a snapshot: every row of every
 * table, every column, in the order the database returns it (unsorted) and sorted canonically.
 * Used by the ballot anonymity test (docs/review-ballots.md).
 */
export interface Dump {
  /** Table → rows as the database returns them without ORDER BY (heap / rowid order). */
  unsorted: Record<string, Record<string, unknown>[]>
  /** The same rows, each table's sorted by its JSON text. */
  sorted: Record<string, string[]>
}

async function tableNames(db: Kysely<Database>, postgres: boolean): Promise<string[]> {
  const rows = postgres
    ? await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  return rows.rows.map((r) => r.name).sort()
}

export async function dumpDatabase(
  db: Kysely<Database>,
  postgres: boolean,
  normalise: (table: string, row: Record<string, unknown>) => Record<string, unknown>,
): Promise<Dump> {
  const unsorted: Dump['unsorted'] = {}
  const sorted: Dump['sorted'] = {}
  for (const table of await tableNames(db, postgres)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows.map((r) => normalise(table, r))
    unsorted[table] = rows
    sorted[table] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return { unsorted, sorted }
}
