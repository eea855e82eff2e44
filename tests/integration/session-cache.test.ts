import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION } from '../../src/core/sync/protocol.ts'

/**
 * A push on PostgreSQL may take its session from the server's session cache
 * (src/server/repositories/session-cache.ts) and have the write check it. Whatever happens to the
 * session or the person between two pushes, the answer and what is stored must be exactly what
 * they are without a cache: these tests run on SQLite too (no cache there) with the same
 * expectations.
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL)

let server: TestServer
let org: Org
beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(async () => {
  await server.close()
})

const record = (title: string) => ({
  id: newId(),
  table: 'study_records',
  op: 'upsert',
  rowId: newId(),
  clientTime: new Date().toISOString(),
  v: MUTATION_VERSION,
  fields: { kind: 'self_study', title, date: '2026-11-20', minutes: 30, notes: '', sourceUrl: '', createdAt: new Date().toISOString() },
})

async function push(f: FetchFn, title: string): Promise<{ status: number; code?: string; rowId: string }> {
  const m = record(title)
  const res = await f(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: newId(), mutations: [m] }),
  })
  const body = (await res.json()) as { error?: { code: string }; results?: { status: string }[] }
  if (res.ok) expect(body.results?.[0]?.status).toBe('applied')
  return { status: res.status, ...(body.error ? { code: body.error.code } : {}), rowId: m.rowId }
}
const stored = (rowId: string) => server.handle.db.selectFrom('study_records').selectAll().where('id', '=', rowId).executeTakeFirst()
const sessionsOf = (userId: string) => server.handle.db.updateTable('sessions').where('user_id', '=', userId)

describe('a push after its session or its person changed is answered as without a session cache', () => {
  it('signed out from another device (by another server process): refused as signed out, nothing written', async () => {
    const f = await signIn(server, org.memberA.phone)
    expect((await push(f, '先前的记录')).status).toBe(200)
    // Straight in the database: another process of the same deployment, whose cache this one does not share.
    await sessionsOf(org.memberA.id).set({ revoked_at: new Date().toISOString(), revoked_reason: 'remote' }).execute()
    const after = await push(f, '注销之后')
    expect(after).toMatchObject({ status: 401, code: 'signed_out' })
    expect(await stored(after.rowId)).toBeUndefined()
  })

  it('signed out, then a malformed push: the sign-out is what is answered (401 before 400)', async () => {
    const f = await signIn(server, org.memberA.phone)
    expect((await push(f, '先前的记录')).status).toBe(200)
    const bad = () =>
      f(`${server.url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mutations: 'x' }),
      })
    expect((await bad()).status).toBe(400)
    await sessionsOf(org.memberA.id).set({ revoked_at: new Date().toISOString(), revoked_reason: 'remote' }).execute()
    const res = await bad()
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('signed_out')
  })

  it('signed out on the device itself, or expired: refused as unknown, nothing written', async () => {
    const f = await signIn(server, org.memberA2.phone)
    expect((await push(f, '先前的记录')).status).toBe(200)
    await sessionsOf(org.memberA2.id).set({ revoked_at: new Date().toISOString(), revoked_reason: 'logout' }).execute()
    const out = await push(f, '退出之后')
    expect(out).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(await stored(out.rowId)).toBeUndefined()

    const g = await signIn(server, org.memberA2.phone)
    expect((await push(g, '重新登录')).status).toBe(200)
    await sessionsOf(org.memberA2.id).set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('revoked_at', 'is', null).execute()
    const expired = await push(g, '过期之后')
    expect(expired).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(await stored(expired.rowId)).toBeUndefined()
  })

  it('moved to another branch: the write is made as the person is now (the new branch), not as the cache had them', async () => {
    const f = await signIn(server, org.secretaryA.phone)
    expect((await push(f, '调动之前')).status).toBe(200)
    await server.handle.db
      .updateTable('users')
      .set((eb) => ({ branch_id: org.branchB, role: 'member', scope_version: eb('scope_version', '+', 1) }))
      .where('id', '=', org.secretaryA.id)
      .execute()
    const moved = await push(f, '调动之后')
    expect(moved.status).toBe(200)
    expect(await stored(moved.rowId)).toMatchObject({ branch_id: org.branchB, owner_id: org.secretaryA.id })
  })

  it('removed from the organisation: refused as signed out, nothing written; two phones pushing at once are answered each as its own session', async () => {
    const removed = await signIn(server, org.memberB.phone)
    const other = await signIn(server, org.admin.phone)
    expect((await push(removed, '移除之前')).status).toBe(200)
    await server.handle.db.updateTable('users').set({ removed_at: new Date().toISOString() }).where('id', '=', org.memberB.id).execute()
    const [gone, fine] = await Promise.all([push(removed, '移除之后'), push(other, '同时提交')])
    expect(gone).toMatchObject({ status: 401, code: 'signed_out' })
    expect(await stored(gone.rowId)).toBeUndefined()
    expect(fine.status).toBe(200)
    expect(await stored(fine.rowId)).toBeDefined()
  })
})

describe.skipIf(!onPostgres)('the session cache (PostgreSQL)', () => {
  it('spares the session lookup of a phone’s next pushes', async () => {
    const passwordHash = (
      await server.handle.db.selectFrom('users').select('password_hash').where('id', '=', org.admin.id).executeTakeFirstOrThrow()
    ).password_hash
    const id = newId()
    await server.handle.db
      .insertInto('users')
      .values({
        ...(await server.handle.db.selectFrom('users').selectAll().where('id', '=', org.admin.id).executeTakeFirstOrThrow()),
        id,
        phone: '13800000099',
        role: 'member',
        branch_id: org.branchA,
        password_hash: passwordHash,
        name: '钱七',
      })
      .execute()
    const f = await signIn(server, '13800000099')
    const names: string[] = []
    const original = pg.Client.prototype.query
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const [q] = args
      if (q && typeof q === 'object' && 'name' in q && typeof q.name === 'string') names.push(q.name)
      return Reflect.apply(original, this, args) as ReturnType<typeof original>
    })
    try {
      for (let i = 0; i < 5; i++) expect((await push(f, `缓存 ${i}`)).status).toBe(200)
    } finally {
      spy.mockRestore()
    }
    expect(names.filter((n) => n.startsWith('sx_session_')).length).toBeLessThanOrEqual(1)
    expect(names.filter((n) => n.startsWith('sx_push_flush_')).length).toBe(5)
  })
})
