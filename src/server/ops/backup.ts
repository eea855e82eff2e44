import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import SQLite from 'better-sqlite3'
import { openDatabase } from '../db/connection.ts'
import { markRestored } from '../db/restore-generation.ts'

/**
 * `npm run backup` and `npm run restore`: a consistent copy of the database and the photos,
 * safe while the server runs, and the way back that makes every phone notice (docs/sync.md,
 * "Restore"). SQLite is copied with `VACUUM INTO` (one read transaction: it finishes under
 * load, unlike the `.backup` command that restarts on every commit); PostgreSQL with pg_dump.
 */
export interface BackupManifest {
  createdAt: string
  dialect: 'sqlite' | 'postgres'
  epoch: string
  seq: number
  photos: number
  bytes: number
}

const DB_FILE = 'suixing.sqlite'
const PG_FILE = 'suixing.pgdump'
export const SERVER_LOCK = 'server.lock'

/** China-time stamp for names: 2026-11-30T071205. */
function stamp(d = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replaceAll(':', '')
}

/** `base`, or `base-2`, `base-3`… whichever does not exist yet. */
function freshName(base: string): string {
  let name = base
  for (let i = 2; existsSync(name); i++) name = `${base}-${i}`
  return name
}

function sqlQuote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`
}

/** Copy finished photos only (a `.part` is an upload still coming; the phone resumes it). */
function copyPhotos(from: string, to: string, overwrite: boolean): number {
  if (!existsSync(from)) return 0
  mkdirSync(to, { recursive: true })
  let n = 0
  for (const name of readdirSync(from)) {
    if (name.endsWith('.part') || name.endsWith('.tmp')) continue
    if (!overwrite && existsSync(join(to, name))) continue
    cpSync(join(from, name), join(to, name))
    n++
  }
  return n
}

/** Check a copied SQLite file opens and is whole; read its epoch and change counter. */
export function checkSqliteCopy(file: string): { epoch: string; seq: number } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`the copy ${file} is damaged: ${String(check)}`)
    const epoch = (db.prepare(`select value from meta where key = 'epoch'`).get() as { value: string } | undefined)?.value
    const seq = (db.prepare(`select value from counters where name = 'seq'`).get() as { value: number } | undefined)?.value
    if (!epoch || seq === undefined) throw new Error(`${file} is not a 党建随行 database`)
    return { epoch, seq: Number(seq) }
  } finally {
    db.close()
  }
}

export async function backup(opts: {
  dataDir: string
  databaseUrl?: string | undefined
  outDir?: string
  now?: Date
}): Promise<{ dir: string; manifest: BackupManifest }> {
  const dataDir = resolve(opts.dataDir)
  const dir = freshName(join(resolve(opts.outDir ?? join(dataDir, 'backups')), `suixing-${stamp(opts.now)}`))
  mkdirSync(dir, { recursive: true })
  let info: { epoch: string; seq: number }
  if (opts.databaseUrl) {
    const r = spawnSync('pg_dump', ['-Fc', '--no-owner', '-f', join(dir, PG_FILE), opts.databaseUrl], { encoding: 'utf8' })
    if (r.error || r.status !== 0) throw new Error(`pg_dump failed: ${r.error?.message ?? r.stderr}`)
    const handle = await openDatabase({ dataDir, databaseUrl: opts.databaseUrl })
    try {
      // The dump is one snapshot; its counter is at least this one's (taken after it started).
      const row = await handle.read.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
      info = { epoch: handle.epoch, seq: Number(row.value) }
    } finally {
      await handle.close()
    }
  } else {
    const live = join(dataDir, DB_FILE)
    if (!existsSync(live)) throw new Error(`no database at ${live}`)
    const db = new SQLite(live, { fileMustExist: true })
    try {
      db.pragma('busy_timeout = 5000')
      db.exec(`VACUUM INTO ${sqlQuote(join(dir, DB_FILE))}`)
    } finally {
      db.close()
    }
    info = checkSqliteCopy(join(dir, DB_FILE))
  }
  // Photos after the database: every photo the copy lists as complete is already on disk.
  const photos = copyPhotos(join(dataDir, 'photos'), join(dir, 'photos'), true)
  const bytes = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0)
  const manifest: BackupManifest = {
    createdAt: new Date().toISOString(),
    dialect: opts.databaseUrl ? 'postgres' : 'sqlite',
    ...info,
    photos,
    bytes,
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return { dir, manifest }
}

function serverRunning(dataDir: string): number | null {
  const lock = join(dataDir, SERVER_LOCK)
  if (!existsSync(lock)) return null
  const pid = Number(readFileSync(lock, 'utf8').trim())
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null
  }
}

/**
 * Put a backup back (the server must be stopped). The database gets a new epoch, so every
 * phone's cursor resets and each phone sends back what its person wrote after the backup.
 * The database replaced is kept aside, never deleted; photos of the backup are added to the
 * photos directory without replacing newer ones.
 */
export async function restore(opts: {
  dataDir: string
  from: string
  databaseUrl?: string | undefined
  now?: Date
}): Promise<{ epoch: string; previous: string; seq: number; keptAside: string | null }> {
  const dataDir = resolve(opts.dataDir)
  const from = resolve(opts.from)
  const pid = serverRunning(dataDir)
  if (pid) throw new Error(`the server is running (pid ${pid}); stop it first`)
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as BackupManifest
  let keptAside: string | null = null
  if (opts.databaseUrl) {
    if (manifest.dialect !== 'postgres') throw new Error('this backup is of a SQLite database')
    const r = spawnSync(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', '--single-transaction', '-d', opts.databaseUrl, join(from, PG_FILE)],
      { encoding: 'utf8' },
    )
    if (r.error || r.status !== 0) throw new Error(`pg_restore failed: ${r.error?.message ?? r.stderr}`)
  } else {
    if (manifest.dialect !== 'sqlite') throw new Error('this backup is of a PostgreSQL database')
    checkSqliteCopy(join(from, DB_FILE))
    const live = join(dataDir, DB_FILE)
    mkdirSync(dataDir, { recursive: true })
    if (existsSync(live)) {
      keptAside = freshName(join(dataDir, `before-restore-${stamp(opts.now)}`))
      mkdirSync(keptAside, { recursive: true })
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(live + suffix)) renameSync(live + suffix, join(keptAside, DB_FILE + suffix))
    }
    cpSync(join(from, DB_FILE), live)
  }
  copyPhotos(join(from, 'photos'), join(dataDir, 'photos'), false)
  // Opening runs the migrations (a backup from an older version is upgraded) and may already
  // notice the restore from the high-water mark; otherwise it is marked here.
  const handle = await openDatabase({ dataDir, databaseUrl: opts.databaseUrl })
  try {
    const epoch = handle.epoch === manifest.epoch ? await markRestored(handle.db) : handle.epoch
    const counter = await handle.db.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
    return { epoch, previous: manifest.epoch, seq: Number(counter.value), keptAside }
  } finally {
    await handle.close()
  }
}
