import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { cookieFetch, PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { AccountDbWithout, appApi, laterHistory, NEXT_SCHEMA, updatedApp } from './schema-upgrade.ts'
import { createHttpClient, type FetchFn } from '../../src/client/api/http.ts'
import { endpoints } from '../../src/client/api/endpoints.ts'
import { AccountDb } from '../../src/client/db/account-db.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { createStudy } from '../../src/client/features/study/study.repo.ts'
import { newId } from '../../src/core/ids.ts'
import type { SessionUser } from '../../src/core/schemas/auth.ts'
import { MUTATION_VERSION, parseCursor, type PullResponse, type PushResponse } from '../../src/core/sync/protocol.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../src/core/sync/schema-version.ts'
import { NEWER_APP_TEXT } from '../../src/server/sync/versions.ts'

/**
 * docs/sync.md, "Versions": an app older than the server keeps syncing (what it does not know is
 * held back), receives what was held back once it updates, and an app newer than the server has
 * what the server does not know refused, never crashed on.
 */

async function signedIn(server: TestServer, phone: string): Promise<{ fetch: FetchFn; user: SessionUser }> {
  const f = cookieFetch()
  const signed = await endpoints(createHttpClient(server.url, f)).login({ phone, password: PASSWORD })
  if (!('user' in signed)) throw new Error('two-factor login enrolled: sign in with the second step')
  const { user } = signed
  return { fetch: f, user }
}

const draft = { kind: 'self_study' as const, title: '学习新党章', date: '2026-11-20', minutes: 30, notes: '', sourceUrl: '' }

describe('an app older than the server (the server was upgraded: follow-ups and a visit’s location are new)', () => {
  let server: TestServer
  let org: Org
  let household = ''
  let visitId = ''

  beforeAll(async () => {
    server = await startServer({ schemaHistory: laterHistory({ tables: ['followups'], fields: { visits: ['location'] } }) })
    org = await seedOrg(server.handle)
  })
  afterAll(() => server.close())

  it('keeps syncing without what it does not know, then receives it all once updated', async () => {
    // The secretary's phone is already updated.
    const sec = await signedIn(server, org.secretaryA.phone)
    const secDb = new AccountDb(`test-${newId()}`)
    const secEngine = new SyncEngine(secDb, appApi(server.url, sec.fetch, NEXT_SCHEMA))
    household = await saveHousehold(secDb, sec.user, null, {
      branchId: org.branchA,
      name: '李大爷',
      address: '东村12号',
      village: '东村',
      contact: '',
      situation: '独居',
      needs: '看病难',
      memberIds: [org.memberA.id],
    })
    expect(await secEngine.sync()).toEqual({ ok: true })

    // The member's phone still runs the app from before: no follow-ups store, an older schema version.
    const member = await signedIn(server, org.memberA.phone)
    const name = `test-${newId()}`
    const oldDb = new AccountDbWithout(name, ['followups'])
    const oldEngine = new SyncEngine(oldDb, appApi(server.url, member.fetch, SCHEMA_VERSION))
    expect(await oldEngine.sync()).toEqual({ ok: true })
    const firstCursor = (await oldDb.meta.get('cursor'))?.value
    expect(await oldDb.households.get(household)).toMatchObject({ name: '李大爷' })

    // A visit with its location and a promised action owned by the member.
    visitId = await recordVisit(secDb, sec.user, {
      householdId: household,
      place: '',
      visitedAt: new Date().toISOString(),
      memberIds: [org.secretaryA.id, org.memberA.id],
      findings: '药快吃完了',
      problems: '希望代购药品',
      location: '39.9042,116.4074',
      photos: [],
      followups: [{ text: '下周代购降压药', ownerId: org.memberA.id, dueOn: '2026-12-01' }],
    })
    expect(await secEngine.sync()).toEqual({ ok: true })

    // The old app syncs: no error, the cursor moves, the visit arrives without the field it does
    // not know, and what it writes reaches the server.
    const error = vi.spyOn(console, 'error')
    await createStudy(oldDb, member.user, draft)
    expect(await oldEngine.sync()).toEqual({ ok: true })
    expect(error).not.toHaveBeenCalled()
    error.mockRestore()
    expect((await oldDb.meta.get('cursor'))?.value).not.toBe(firstCursor)
    expect(await oldDb.outbox.count()).toBe(0)
    const seenOld = await oldDb.visits.get(visitId)
    expect(seenOld).toMatchObject({ findings: '药快吃完了' })
    expect(seenOld).not.toHaveProperty('location')
    expect(oldDb.tables.map((t) => t.name)).not.toContain('followups')

    // What the server sends it: no follow-ups, no location; an app from before the header alike.
    const oldPage = await appApi(server.url, member.fetch, SCHEMA_VERSION).pull('')
    expect(oldPage.changes.map((c) => c.table)).not.toContain('followups')
    expect(oldPage.changes.find((c) => c.table === 'visits')?.row).not.toHaveProperty('location')
    const bare = (await (await member.fetch(`${server.url}/api/sync/pull?cursor=`)).json()) as PullResponse
    expect(bare.changes.map((c) => c.table)).not.toContain('followups')
    expect(parseCursor(bare.cursor)?.schema).toBe(1)
    const again = (await (
      await member.fetch(`${server.url}/api/sync/pull?cursor=${encodeURIComponent(bare.cursor)}`)
    ).json()) as PullResponse
    expect(again.reset).toBe(false)

    // A change made offline on the old app, then the app updates (full database, newer version).
    await createStudy(oldDb, member.user, { ...draft, title: '更新前写的' })
    const newDb = await updatedApp(oldDb)
    const newEngine = new SyncEngine(newDb, appApi(server.url, member.fetch, NEXT_SCHEMA))
    expect(await newEngine.sync()).toEqual({ ok: true })
    expect(await newDb.followups.toArray()).toMatchObject([{ text: '下周代购降压药', visitId, ownerId: org.memberA.id }])
    expect(await newDb.visits.get(visitId)).toMatchObject({ location: '39.9042,116.4074' })
    expect((await newDb.study_records.toArray()).map((r) => r.title).sort()).toEqual(['学习新党章', '更新前写的'].sort())
    expect(await newDb.outbox.count()).toBe(0)
    expect(parseCursor(String((await newDb.meta.get('cursor'))?.value))?.schema).toBe(NEXT_SCHEMA)

    // Exactly what a fresh updated phone holds; and no further reset.
    const fresh = new AccountDb(`test-${newId()}`)
    expect(await new SyncEngine(fresh, appApi(server.url, member.fetch, NEXT_SCHEMA)).sync()).toEqual({ ok: true })
    for (const t of ['households', 'visits', 'followups', 'study_records'] as const)
      expect(await newDb.table(t).toArray(), t).toEqual(await fresh.table(t).toArray())
    const cursor = String((await newDb.meta.get('cursor'))?.value)
    expect((await appApi(server.url, member.fetch, NEXT_SCHEMA).pull(cursor)).reset).toBe(false)
  })

  it('a cursor served to the older version answers reset (schema) to the updated app', async () => {
    const member = await signedIn(server, org.memberA2.phone)
    const old = await appApi(server.url, member.fetch, SCHEMA_VERSION).pull('')
    expect(old.reset).toBe(false)
    const updated = await appApi(server.url, member.fetch, NEXT_SCHEMA).pull(old.cursor)
    expect(updated).toMatchObject({ reset: true, resetReason: 'schema' })
    // Back to the old app (another tab not yet reloaded): served as before, no reset.
    expect((await appApi(server.url, member.fetch, SCHEMA_VERSION).pull(updated.cursor)).reset).toBe(false)
  })
})

describe('an app newer than the server (the server was downgraded)', () => {
  let server: TestServer
  let org: Org
  beforeAll(async () => {
    server = await startServer()
    org = await seedOrg(server.handle)
  })
  afterAll(() => server.close())

  const push = (f: FetchFn, version: number, mutations: unknown[]) =>
    f(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(version) },
      body: JSON.stringify({ clientId: newId(), mutations }),
    })
  const study = (fields: Record<string, unknown>) => ({
    id: newId(),
    table: 'study_records',
    op: 'upsert',
    rowId: newId(),
    clientTime: new Date().toISOString(),
    v: MUTATION_VERSION,
    base: {},
    fields: {
      kind: 'self_study',
      title: '学习',
      date: '2026-11-20',
      minutes: 30,
      notes: '',
      sourceUrl: '',
      createdAt: new Date().toISOString(),
      ...fields,
    },
  })

  it('applies what the server knows and refuses the rest with unsupported_version, in order', async () => {
    const { fetch } = await signedIn(server, org.memberA.phone)
    const known = study({})
    const newTable = {
      id: newId(),
      table: 'future_things',
      op: 'upsert',
      rowId: newId(),
      fields: { what: 1 },
      clientTime: '',
      v: MUTATION_VERSION,
    }
    const newField = study({ mood: 'good' })
    const after = study({ title: '之后的' })
    const res = await push(fetch, SCHEMA_VERSION + 1, [known, newTable, newField, after])
    expect(res.status).toBe(200)
    const { results } = (await res.json()) as PushResponse
    expect(results.map((r) => [r.id, r.status, r.code])).toEqual([
      [known.id, 'applied', undefined],
      [newTable.id, 'rejected', 'unsupported_version'],
      [newField.id, 'rejected', 'unsupported_version'],
      [after.id, 'applied', undefined],
    ])
    expect(results[1]?.message).toBe(NEWER_APP_TEXT)

    // The same batch from an app of the server's version is unreadable, as before (400 validation).
    expect((await push(fetch, SCHEMA_VERSION, [newTable])).status).toBe(400)
  })

  it('pulls everything the server has, and an unreadable version header is refused', async () => {
    const { fetch } = await signedIn(server, org.memberA.phone)
    const page = await appApi(server.url, fetch, SCHEMA_VERSION + 3).pull('')
    expect(page.reset).toBe(false)
    expect(page.changes.map((c) => c.table)).toContain('branches')
    expect(parseCursor(page.cursor)?.schema).toBe(SCHEMA_VERSION)
    for (const bad of ['0', 'x', '1.5']) {
      const res = await fetch(`${server.url}/api/sync/pull?cursor=`, { headers: { [SCHEMA_HEADER]: bad } })
      expect(res.status, bad).toBe(400)
    }
  })

  it('the newer app keeps syncing: the refused change is set aside with the reason, the rest goes on', async () => {
    const member = await signedIn(server, org.memberA2.phone)
    const db = new AccountDb(`test-${newId()}`)
    const engine = new SyncEngine(db, appApi(server.url, member.fetch, SCHEMA_VERSION + 1))
    const rec = await createStudy(db, member.user, draft)
    await db.outbox.toCollection().modify((m) => {
      m.fields = { ...m.fields, mood: 'good' }
    })
    const ok = await createStudy(db, member.user, { ...draft, title: '第二条' })
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await db.outbox.count()).toBe(0)
    expect(await db.rejected.toArray()).toMatchObject([
      { code: 'unsupported_version', message: NEWER_APP_TEXT, mutation: { rowId: rec.id } },
    ])
    expect(await db.study_records.get(ok.id)).toMatchObject({ title: '第二条' })
  })
})
