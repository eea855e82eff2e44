import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { device, seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { FAILURE_TEXT } from '../../src/client/sync/status.ts'
import { createStudy } from '../../src/client/features/study/study.repo.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION, type Mutation, type PushResult } from '../../src/core/sync/protocol.ts'
import { ERROR_MESSAGES } from '../../src/core/errors.ts'

/**
 * The server's storage fills up. SQLite is made to run out of space without filling the disk:
 * `max_page_count` caps the database file on the server's own writer connection. A push then
 * answers 507 `storage_full` with the reason (not a 500 hiding it), acknowledges nothing it did
 * not store, `/api/health` says the storage is full, and once space is back everything works
 * and the phone's outbox drains. (PostgreSQL's disk_full, 53100, takes the same path: see
 * src/server/lib/storage.test.ts.)
 */
const onSqlite = !process.env.TEST_DATABASE_URL

let server: TestServer
let org: Org
let member: Device

beforeAll(async () => {
  if (!onSqlite) return
  server = await startServer()
  org = await seedOrg(server.handle)
  member = await device(server, org.memberA.phone)
})
afterAll(async () => {
  if (onSqlite) await server.close()
})

const noise = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919 + n) % 20000))).join('')

const create = (title: string): Mutation => ({
  id: newId(),
  table: 'study_records',
  op: 'upsert',
  rowId: newId(),
  fields: {
    kind: 'self_study',
    title,
    date: '2026-11-20',
    minutes: 30,
    notes: noise(6000),
    sourceUrl: '',
    createdAt: new Date().toISOString(),
  },
  clientTime: new Date().toISOString(),
  v: MUTATION_VERSION,
})

async function push(
  mutations: Mutation[],
): Promise<{ status: number; body: { results?: PushResult[]; error?: { code: string; message: string } } }> {
  const res = await member.fetch(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: newId(), mutations }),
  })
  return { status: res.status, body: (await res.json()) as { results?: PushResult[]; error?: { code: string; message: string } } }
}

const health = async () => {
  const res = await fetch(`${server.url}/api/health`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe.skipIf(!onSqlite)('the server runs out of storage (SQLite capped with max_page_count)', () => {
  it('answers 507 storage_full, acknowledges only what it stored, reports degraded health, and recovers', async () => {
    const db = server.handle.db
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db)
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 1}`).execute(db)

    const acknowledged: string[] = []
    let refused: { status: number; body: { error?: { code: string; message: string } } } | null = null
    let refusedBatch: Mutation[] = []
    for (let i = 0; i < 100 && !refused; i++) {
      const batch = Array.from({ length: 5 }, (_, j) => create(`full-${i}-${j}`))
      const answer = await push(batch)
      if (answer.status === 200) {
        for (const r of answer.body.results ?? []) if (r.status === 'applied') acknowledged.push(r.id)
        continue
      }
      refused = answer
      refusedBatch = batch
    }
    expect(refused?.status).toBe(507)
    expect(refused?.body.error).toEqual({ code: 'storage_full', message: ERROR_MESSAGES.storage_full })
    expect(ERROR_MESSAGES.storage_full).toContain('服务器存储空间已满')

    // Nothing of the refused batch was stored; everything acknowledged was.
    const ids = refusedBatch.map((m) => m.id)
    expect(await db.selectFrom('mutations').select('id').where('id', 'in', ids).execute()).toEqual([])
    if (acknowledged.length) {
      const stored = await db.selectFrom('mutations').select('id').where('id', 'in', acknowledged).execute()
      expect(stored).toHaveLength(acknowledged.length)
    }

    expect(await health()).toMatchObject({ status: 503, body: { status: 'degraded', storage: 'full' } })

    // The phone keeps its change and says why.
    await createStudy(member.db, member.user, {
      kind: 'self_study',
      title: '存储满时写下的',
      date: '2026-11-20',
      minutes: 40,
      notes: noise(6000),
      sourceUrl: '',
    })
    const engine = new SyncEngine(member.db, member.api)
    expect(await engine.sync()).toEqual({ ok: false, failure: 'server-storage-full' })
    expect(FAILURE_TEXT['server-storage-full']).toContain('服务器存储空间已满')
    expect(await member.db.outbox.count()).toBe(1)
    expect(await member.db.rejected.count()).toBe(0)

    // Space is back.
    await sql`pragma max_page_count = 1073741823`.execute(db)
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await member.db.outbox.count()).toBe(0)
    expect(await db.selectFrom('study_records').select('id').where('title', '=', '存储满时写下的').execute()).toHaveLength(1)
    const again = await push(refusedBatch)
    expect(again.status).toBe(200)
    expect(again.body.results?.map((r) => [r.status, r.duplicate ?? false])).toEqual(refusedBatch.map(() => ['applied', false]))
  })
})
