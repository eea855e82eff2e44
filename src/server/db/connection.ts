import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Driver,
  type SqliteDatabase,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely'
import type { Database } from './schema.ts'
import { migrationProvider } from './migrations/index.ts'
import { HighWater, markRestored, previousEpochs } from './restore-generation.ts'
import { statementName } from './hot-statements.ts'

export type Dialect = 'sqlite' | 'postgres'

export interface DbHandle {
  /** The writer. On SQLite the one connection that writes (group commit queues behind it). */
  db: Kysely<Database>
  /**
   * For reads that must not wait behind a write transaction (session checks, pulls). On SQLite a
   * second, read-only connection (WAL lets it read the last commit while the writer works); on
   * PostgreSQL the same pool.
   */
  read: Kysely<Database>
  dialect: Dialect
  /** Random id of this database, made once and again at every restore: a cursor of another epoch resets. */
  epoch: string
  /** Epochs this database had before it was restored from backups: a cursor of one of them means the server lost data. */
  previousEpochs: ReadonlySet<string>
  /** The highest change number handed out, kept in DATA_DIR so that a restore by hand is noticed at start. */
  highWater: HighWater
  close(): Promise<void>
}

export interface DbConfig {
  dataDir: string
  databaseUrl?: string | undefined
}

function sqliteFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true })
  return join(dataDir, 'suixing.sqlite')
}

/** How many compiled SQLite statements a connection keeps (the most recently used). */
const KEPT_STATEMENTS = 256

/**
 * The SQLite file as Kysely uses it, keeping compiled statements by their text: Kysely prepares
 * every query it runs, and compiling one cost more than running it (the session lookup, the
 * push's writes). SQLite recompiles a kept statement by itself when the schema changed. Kysely
 * streams no query here, so a kept statement is never still running when it is used again.
 */
function keepingStatements(file: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>()
  return {
    close: () => void file.close(),
    prepare: (text) => {
      const found = kept.get(text)
      if (found) {
        // The most recently used last: the first is the one to let go.
        kept.delete(text)
        kept.set(text, found)
        return found
      }
      const statement = file.prepare(text)
      if (kept.size >= KEPT_STATEMENTS) {
        const oldest = kept.keys().next()
        if (!oldest.done) kept.delete(oldest.value)
      }
      kept.set(text, statement)
      return statement
    },
  }
}

/**
 * SQLite ends a transaction by itself on some errors (SQLITE_FULL, an I/O error): the ROLLBACK
 * that follows then fails with "cannot rollback - no transaction is active", and that error,
 * not the real one, would reach the logs and the client. Roll back only what is still open.
 */
class SqliteKeepingTheRealError extends SqliteDialect {
  constructor(private readonly file: SQLite.Database) {
    super({ database: keepingStatements(file) })
  }

  override createDriver(): Driver {
    const driver = super.createDriver()
    const rollback = driver.rollbackTransaction.bind(driver)
    driver.rollbackTransaction = async (connection) => {
      if (this.file.inTransaction) await rollback(connection)
    }
    return driver
  }
}

function openSqlite(path: string): Kysely<Database> {
  const file = new SQLite(path)
  file.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it; the client then drops its outbox entry.
  file.pragma('synchronous = FULL')
  file.pragma('foreign_keys = ON')
  file.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteKeepingTheRealError(file) })
}

function openSqliteReader(path: string): Kysely<Database> {
  const file = new SQLite(path, { readonly: true })
  file.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(file) }) })
}

/** A connection of the pool as Kysely uses it, sending the hot statements (db/hot-statements.ts) named. */
function namingClient(client: pg.PoolClient): PostgresPoolClient {
  function query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  function query<R>(
    q: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely asks for a cursor only when a query is streamed, which this server never does.
    if (typeof q !== 'string') throw new Error('streamed queries are not used')
    return client.query<R & pg.QueryResultRow>({ text: q, values: [...parameters], name: statementName(q) }).then((r) => ({
      command: r.command as PostgresQueryResult<R>['command'],
      rowCount: r.rowCount ?? 0,
      rows: r.rows,
    }))
  }
  return { query, release: (destroy) => client.release(destroy) }
}

function openPostgres(url: string): Kysely<Database> {
  // bigint columns come back as strings by default; our sequences fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v))
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const naming: PostgresPool = { connect: async () => namingClient(await pool.connect()), end: () => pool.end() }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: naming }) })
}

export async function openDatabase(config: DbConfig): Promise<DbHandle> {
  const dialect: Dialect = config.databaseUrl ? 'postgres' : 'sqlite'
  const path = config.databaseUrl ? '' : sqliteFile(config.dataDir)
  const db = config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(path)
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    await db.destroy()
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`database migration ${failed} failed: ${String(error)}`)
  }
  await sql`insert into meta (key, value) values ('epoch', ${randomUUID()}) on conflict (key) do nothing`.execute(db)
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow()
  // A database behind what this server has already told its phones was put back from a backup.
  mkdirSync(config.dataDir, { recursive: true })
  const highWater = new HighWater(config.dataDir)
  const counter = await db.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
  const epoch = highWater.isBehind(row.value, Number(counter.value)) ? await markRestored(db) : row.value
  // The reader opens after migrations, so the file and its WAL exist.
  const read = dialect === 'sqlite' ? openSqliteReader(path) : db
  return {
    db,
    read,
    dialect,
    epoch,
    previousEpochs: new Set((await previousEpochs(db)).map((p) => p.epoch)),
    highWater,
    close: async () => {
      highWater.flush()
      if (read !== db) await read.destroy()
      await db.destroy()
    },
  }
}
