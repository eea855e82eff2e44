import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { nextSeq } from '../../src/server/repositories/sequence.ts'
import { pull } from '../../src/server/sync/pull.ts'
import { newId } from '../../src/core/ids.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../../src/server/db/schema.ts'
import { parseCursor } from '../../src/core/sync/protocol.ts'

let server: TestServer
let org: Org

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())

async function insertStudy(trx: Kysely<Database>, seq: number, title: string): Promise<void> {
  await trx
    .insertInto('study_records')
    .values({
      id: newId(),
      owner_id: org.memberA.id,
      branch_id: org.branchA,
      org_id: org.orgId,
      kind: 'self_study',
      title,
      date: '2026-11-20',
      minutes: 30,
      notes: '',
      source_url: '',
      created_at: '',
      updated_at: '',
      deleted: 0,
      seq,
    })
    .execute()
}

describe('change sequence', () => {
  it('a later transaction cannot take a sequence number until the earlier one commits, so a pull never skips a row', async () => {
    const db = server.handle.db
    const viewer = { id: org.memberA.id, orgId: org.orgId, branchId: org.branchA, role: 'member' as const, scopeVersion: 0, sessionId: '' }
    const before = await pull(server.handle.read, server.handle, viewer, '', 10_000)

    const t1 = await db.startTransaction().execute()
    const s1 = await nextSeq(t1)
    await insertStudy(t1, s1, 'slow-writer')

    let s2: number | undefined
    const t2 = db.transaction().execute(async (trx) => {
      s2 = await nextSeq(trx)
      await insertStudy(trx, s2, 'fast-writer')
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(s2).toBeUndefined() // waiting for the first writer

    // A pull meanwhile sees neither and does not move its cursor past the uncommitted number.
    const during = await pull(server.handle.read, server.handle, viewer, before.cursor, 10_000)
    expect(during.changes.map((c) => c.row?.title)).toEqual([])
    expect(parseCursor(during.cursor)?.seq).toBeLessThan(s1)

    await t1.commit().execute()
    await t2
    expect(s2).toBe(s1 + 1)
    const after = await pull(server.handle.read, server.handle, viewer, during.cursor, 10_000)
    expect(after.changes.map((c) => c.row?.title)).toEqual(['slow-writer', 'fast-writer'])
  })
})
