import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createSession } from '../../src/server/repositories/sessions.ts'
import SQLite from 'better-sqlite3'
import { openDatabase } from '../../src/server/db/connection.ts'
import { buildApp } from '../../src/server/app.ts'
import { createContext } from '../../src/server/context.ts'
import { newId } from '../../src/core/ids.ts'
import { median } from './machine.ts'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000)
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const DIR = join('.tmp', `bench-pull-${MEMBERS}-${ROWS}`)

/** Seed once (kept under .tmp/ for later runs): one organisation, 100 branches, MEMBERS members, ROWS records. */
function seed(): void {
  if (existsSync(join(DIR, 'seeded'))) return
  mkdirSync(DIR, { recursive: true })
  const db = new SQLite(join(DIR, 'suixing.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const org = newId()
  const now = new Date().toISOString()
  db.prepare('insert into organizations (id, name, created_at) values (?, ?, ?)').run(org, '压测机关党委', now)
  let seq = 0
  const branches: string[] = []
  const insBranch = db.prepare('insert into branches (id, org_id, name, archived, seq, updated_at) values (?, ?, ?, 0, ?, ?)')
  db.transaction(() => {
    for (let b = 0; b < 100; b++) {
      const id = newId()
      branches.push(id)
      insBranch.run(id, org, `第${b + 1}党支部`, ++seq, now)
    }
  })()
  const users: { id: string; branch: string }[] = []
  const insUser = db.prepare(
    'insert into users (id, org_id, branch_id, name, phone, password_hash, role, created_at, updated_at, seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (let u = 0; u < MEMBERS; u++) {
      const id = newId()
      const branch = branches[u % 100] as string
      users.push({ id, branch })
      insUser.run(id, org, branch, `党员${u}`, `1${String(3000000000 + u)}`, 'x', 'member', now, now, ++seq)
    }
  })()
  const insStudy = db.prepare(
    'insert into study_records (id, owner_id, branch_id, org_id, kind, title, date, minutes, notes, source_url, created_at, updated_at, deleted, seq) values (?, ?, ?, ?, ?, ?, ?, 45, ?, ?, ?, ?, 0, ?)',
  )
  // Bulk load without the secondary indexes, then build them once (much faster than row by row).
  const indexes = db
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'study_records' and sql is not null")
    .all() as { name: string; sql: string }[]
  for (const ix of indexes) db.exec(`drop index ${ix.name}`)
  const batch = 200_000
  for (let i = 0; i < ROWS; i += batch) {
    db.transaction(() => {
      for (let j = i; j < Math.min(ROWS, i + batch); j++) {
        const u = users[j % MEMBERS] as { id: string; branch: string }
        insStudy.run(newId(), u.id, u.branch, org, 'self_study', '学习记录', '2026-11-20', '', '', now, now, ++seq)
      }
    })()
    process.stdout.write(`\rseeded ${Math.min(ROWS, i + batch).toLocaleString('en')} rows`)
  }
  for (const ix of indexes) db.exec(ix.sql)
  db.prepare("update counters set value = ? where name = 'seq'").run(seq)
  db.close()
  new SQLite(join(DIR, 'seeded')).close()
  console.log('')
}

/**
 * Incremental pull latency through the real route (session check + scoped query) on a database of
 * MEMBERS members and ROWS synced rows. Attendance does not exist yet (meetings, #5): study records
 * stand in for it, same shape (one row per member per event, indexed by owner/branch and sequence).
 */
export async function measureIncrementalPull(samples = 400): Promise<{ p50: number; p95: number; members: number; rows: number }> {
  // The schema comes from the migrations: open once to create it, then seed.
  if (!existsSync(join(DIR, 'seeded'))) {
    rmSync(DIR, { recursive: true, force: true })
    const h = await openDatabase({ dataDir: DIR })
    await h.close()
    seed()
  }
  const handle = await openDatabase({ dataDir: DIR })
  const app = await buildApp({ ctx: createContext(handle, { version: 'bench' }), clientDir: null })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  try {
    const head = Number((await handle.db.selectFrom('counters').select('value').executeTakeFirstOrThrow()).value)
    const members = await handle.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'member')
      .limit(samples)
      .orderBy('seq', 'desc')
      .execute()
    const times: number[] = []
    for (const m of members) {
      const token = await createSession(handle.db, m.id, 'bench')
      // A device that synced a little while ago: its cursor is a few thousand changes behind the head.
      const cursor = `${handle.epoch}:${head - 5000}`
      const t = performance.now()
      const res = await fetch(`${url}/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=500`, {
        headers: { cookie: `sx_session=${token}` },
      })
      await res.json()
      times.push(performance.now() - t)
      if (!res.ok) throw new Error(`pull failed ${res.status}`)
    }
    times.sort((a, b) => a - b)
    return {
      p50: Math.round(median(times) * 10) / 10,
      p95: Math.round((times[Math.floor(times.length * 0.95)] ?? 0) * 10) / 10,
      members: MEMBERS,
      rows: ROWS,
    }
  } finally {
    await app.close()
    await handle.close()
  }
}
