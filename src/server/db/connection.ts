import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely'
import type { Database } from './schema.ts'
import { migrationProvider } from './migrations/index.ts'

export type Dialect = 'sqlite' | 'postgres'

export interface DbHandle {
  db: Kysely<Database>
  dialect: Dialect
  /** Random id of this database, made once: a client cursor from another database is refused. */
  epoch: string
  close(): Promise<void>
}

export interface DbConfig {
  dataDir: string
  databaseUrl?: string | undefined
}

function openSqlite(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true })
  const file = new SQLite(join(dataDir, 'suixing.sqlite'))
  file.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it; the client then drops its outbox entry.
  file.pragma('synchronous = FULL')
  file.pragma('foreign_keys = ON')
  file.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) })
}

function openPostgres(url: string): Kysely<Database> {
  // bigint columns come back as strings by default; our sequences fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }) })
}

export async function openDatabase(config: DbConfig): Promise<DbHandle> {
  const dialect: Dialect = config.databaseUrl ? 'postgres' : 'sqlite'
  const db = config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(config.dataDir)
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    await db.destroy()
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`database migration ${failed} failed: ${String(error)}`)
  }
  await sql`insert into meta (key, value) values ('epoch', ${randomUUID()}) on conflict (key) do nothing`.execute(db)
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow()
  return { db, dialect, epoch: row.value, close: () => db.destroy() }
}
