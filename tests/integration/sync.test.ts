import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { device, PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createStudy, removeStudy, updateStudy, type StudyDraft } from '../../src/client/features/study/study.repo.ts'
import { monthRecords } from '../../src/client/features/study/study.queries.ts'
import { NetworkError, type FetchFn } from '../../src/client/api/http.ts'
import { MUTATION_VERSION } from '../../src/core/sync/protocol.ts'
import { MERGE_SEPARATOR } from '../../src/core/sync/tables.ts'
import { newId } from '../../src/core/ids.ts'

let server: TestServer
let org: Org

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())
afterEach(() => vi.useRealTimers())

const draft = (title: string, over: Partial<StudyDraft> = {}): StudyDraft => ({
  kind: 'self_study',
  title,
  date: '2026-11-20',
  minutes: 45,
  notes: '',
  sourceUrl: '',
  ...over,
})

const serverRows = (title: string) => server.handle.db.selectFrom('study_records').selectAll().where('title', '=', title).execute()

describe('sync engine against the real server', () => {
  it('a response lost after the server committed leaves exactly one row after the retry', async () => {
    let loseNext = true
    const lossy =
      (f: FetchFn): FetchFn =>
      async (input, init) => {
        const res = await f(input, init)
        if (input.includes('/sync/push') && loseNext) {
          loseNext = false
          throw new TypeError('connection reset after commit')
        }
        return res
      }
    const d = await device(server, org.memberA.phone, lossy)
    const engine = new SyncEngine(d.db, d.api)
    await createStudy(d.db, d.user, draft('lost-response'))
    expect(await engine.sync()).toEqual({ ok: false, failure: 'network' })
    expect(await d.db.outbox.count()).toBe(1) // not acknowledged: kept
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await d.db.outbox.count()).toBe(0)
    expect(await serverRows('lost-response')).toHaveLength(1)
  })

  it('a record deleted on two phones of one member leaves both, whatever the order of pull and push', async () => {
    const a = await device(server, org.memberA.phone)
    const b = await device(server, org.memberA.phone)
    const ea = new SyncEngine(a.db, a.api)
    const eb = new SyncEngine(b.db, b.api)
    const r = await createStudy(a.db, a.user, draft('deleted-twice'))
    await ea.sync()
    await eb.sync()
    await removeStudy(a.db, r.id)
    await ea.sync()
    await removeStudy(b.db, r.id)
    // The tombstone arrives while b's own delete is still unsent (a write between push and pull).
    await eb.pull()
    expect(await b.db.study_records.get(r.id)).toMatchObject({ deleted: true })
    expect(await eb.sync()).toEqual({ ok: true })
    expect(await b.db.study_records.get(r.id)).toBeUndefined()
  })

  it('the same batch pushed from two tabs at once yields one row', async () => {
    const d = await device(server, org.memberA.phone)
    await createStudy(d.db, d.user, draft('two-tabs'))
    const mutations = await d.db.outbox.toArray()
    const body = { clientId: newId(), mutations: mutations.map(({ seq: _s, ...m }) => m) }
    const [a, b] = await Promise.all([d.api.push(body), d.api.push(body)])
    expect([a.results[0]?.status, b.results[0]?.status]).toEqual(['applied', 'applied'])
    expect([a.results[0]?.duplicate, b.results[0]?.duplicate].filter(Boolean)).toHaveLength(1)
    expect(await serverRows('two-tabs')).toHaveLength(1)
  })

  it('a rejected mutation is kept with its reason and does not block the ones behind it', async () => {
    const d = await device(server, org.memberA.phone)
    const engine = new SyncEngine(d.db, d.api)
    // A mutation the server refuses (another member's record id cannot be written by us).
    const other = await device(server, org.memberA2.phone)
    const theirs = await createStudy(other.db, other.user, draft('someone-elses'))
    await new SyncEngine(other.db, other.api).sync()
    await d.db.outbox.add({
      id: newId(),
      table: 'study_records',
      op: 'upsert',
      rowId: theirs.id,
      fields: { title: 'hijack' },
      base: {},
      clientTime: new Date().toISOString(),
      v: MUTATION_VERSION,
    })
    await createStudy(d.db, d.user, draft('behind-the-rejected'))
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await serverRows('behind-the-rejected')).toHaveLength(1)
    expect(await serverRows('hijack')).toHaveLength(0)
    const rejected = await d.db.rejected.toArray()
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.code).toBe('forbidden')
    expect(rejected[0]?.message).toMatch(/本人/)
    expect(await d.db.outbox.count()).toBe(0)
  })

  it('a batch the server cannot parse is narrowed to the one bad mutation, which is set aside visibly', async () => {
    const d = await device(server, org.memberA.phone)
    const engine = new SyncEngine(d.db, d.api)
    await createStudy(d.db, d.user, draft('before-garbage'))
    await d.db.outbox.add({ id: 'not-a-uuid', table: 'study_records', op: 'upsert', rowId: newId(), fields: {}, clientTime: 'x', v: 1 })
    await createStudy(d.db, d.user, draft('after-garbage'))
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await serverRows('before-garbage')).toHaveLength(1)
    expect(await serverRows('after-garbage')).toHaveLength(1)
    expect((await d.db.rejected.toArray()).map((r) => r.id)).toEqual(['not-a-uuid'])
  })

  it('an invalid record is refused with a Chinese reason and stays visible', async () => {
    const d = await device(server, org.memberA.phone)
    const engine = new SyncEngine(d.db, d.api)
    const id = newId()
    await d.db.outbox.add({
      id: newId(),
      table: 'study_records',
      op: 'upsert',
      rowId: id,
      fields: { ...draft('bad minutes'), minutes: 0, createdAt: new Date().toISOString() },
      clientTime: '',
      v: 1,
    })
    await engine.sync()
    const [r] = await d.db.rejected.toArray()
    expect(r?.code).toBe('validation')
    expect(r?.message).toContain('时长至少 1 分钟')
  })

  it('a pull page applied twice gives the same state', async () => {
    const writer = await device(server, org.memberA.phone)
    await createStudy(writer.db, writer.user, draft('pull-twice'))
    await new SyncEngine(writer.db, writer.api).sync()
    const reader = await device(server, org.memberA.phone)
    const page = await reader.api.pull('', 2000)
    const { applyPage } = await import('../../src/client/sync/apply.ts')
    await applyPage(reader.db, page.changes, page.cursor, page.reset)
    const once = await reader.db.study_records.toArray()
    await applyPage(reader.db, page.changes, page.cursor, page.reset)
    expect(await reader.db.study_records.toArray()).toEqual(once)
    expect(once.some((r) => r.title === 'pull-twice')).toBe(true)
  })

  it('delete on one device while another edits offline: the edit is refused as deleted, nothing is resurrected, the text is kept', async () => {
    const a = await device(server, org.memberA.phone)
    const b = await device(server, org.memberA.phone)
    const ea = new SyncEngine(a.db, a.api)
    const eb = new SyncEngine(b.db, b.api)
    const rec = await createStudy(a.db, a.user, draft('doomed'))
    await ea.sync()
    await eb.sync()
    await removeStudy(a.db, rec.id)
    await updateStudy(b.db, rec.id, { ...draft('doomed'), notes: '离线时写下的心得' })
    await ea.sync()
    await eb.sync()
    const [row] = await serverRows('doomed')
    expect(row?.deleted).toBe(1)
    expect(row?.notes).toBe('')
    expect(await monthRecords(b.db, b.user.id, '2026-11').then((rs) => rs.find((r) => r.id === rec.id))).toBeUndefined()
    const [rej] = await b.db.rejected.toArray()
    expect(rej?.code).toBe('deleted')
    expect(rej?.snapshot?.notes).toBe('离线时写下的心得')
  })

  it('concurrent edits: different fields both kept; the same free text keeps both versions everywhere', async () => {
    const a = await device(server, org.memberA.phone)
    const b = await device(server, org.memberA.phone)
    const ea = new SyncEngine(a.db, a.api)
    const eb = new SyncEngine(b.db, b.api)
    const rec = await createStudy(a.db, a.user, draft('merge-me', { notes: '原文' }))
    await ea.sync()
    await eb.sync()
    await updateStudy(a.db, rec.id, { ...draft('merge-me', { notes: '原文' }), minutes: 90 })
    await updateStudy(b.db, rec.id, { ...draft('merge-me', { notes: '原文' }), date: '2026-11-21' })
    await updateStudy(a.db, rec.id, { ...draft('merge-me', { notes: '甲的心得' }), minutes: 90 })
    await updateStudy(b.db, rec.id, { ...draft('merge-me', { notes: '乙的心得' }), date: '2026-11-21' })
    await ea.sync()
    await eb.sync()
    await ea.sync()
    const [row] = await serverRows('merge-me')
    expect(row?.minutes).toBe(90)
    expect(row?.date).toBe('2026-11-21')
    expect(row?.notes).toBe(`甲的心得${MERGE_SEPARATOR}乙的心得`)
    expect((await a.db.study_records.get(rec.id))?.notes).toBe(row?.notes)
    expect((await b.db.study_records.get(rec.id))?.notes).toBe(row?.notes)
  })

  it('a device clock set to 2001 loses nothing; order comes from the server', async () => {
    const a = await device(server, org.memberA.phone)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2001-01-01T08:00:00Z'))
    const rec = await createStudy(a.db, a.user, draft('from-2001'))
    await updateStudy(a.db, rec.id, draft('from-2001', { minutes: 60 }))
    vi.useRealTimers()
    expect(await new SyncEngine(a.db, a.api).sync()).toEqual({ ok: true })
    const [row] = await serverRows('from-2001')
    expect(row?.minutes).toBe(60)
    const b = await device(server, org.memberA.phone)
    await new SyncEngine(b.db, b.api).sync()
    expect((await b.db.study_records.get(rec.id))?.minutes).toBe(60)
  })

  it('created and deleted while offline: delivered once, no retry loop', async () => {
    const a = await device(server, org.memberA.phone)
    const rec = await createStudy(a.db, a.user, draft('born-and-gone'))
    await removeStudy(a.db, rec.id)
    const engine = new SyncEngine(a.db, a.api)
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await a.db.outbox.count()).toBe(0)
    expect((await serverRows('born-and-gone'))[0]?.deleted).toBe(1)
  })

  it('scopes: a member sees only own records; a secretary sees the branch read-only; another branch sees nothing', async () => {
    const m = await device(server, org.memberA.phone)
    const rec = await createStudy(m.db, m.user, draft('scoped-record'))
    await new SyncEngine(m.db, m.api).sync()

    const sec = await device(server, org.secretaryA.phone)
    await new SyncEngine(sec.db, sec.api).sync()
    expect(await sec.db.study_records.get(rec.id)).toBeDefined()
    await updateStudy(sec.db, rec.id, draft('scoped-record', { title: 'secretary edit' }))
    await new SyncEngine(sec.db, sec.api).sync()
    expect((await sec.db.rejected.toArray())[0]?.code).toBe('forbidden')
    expect((await sec.db.study_records.get(rec.id))?.title).toBe('scoped-record')

    const other = await device(server, org.memberB.phone)
    await new SyncEngine(other.db, other.api).sync()
    expect(await other.db.study_records.get(rec.id)).toBeUndefined()
    const peer = await device(server, org.memberA2.phone)
    await new SyncEngine(peer.db, peer.api).sync()
    expect(await peer.db.study_records.get(rec.id)).toBeUndefined()

    const admin = await device(server, org.admin.phone)
    await new SyncEngine(admin.db, admin.api).sync()
    expect(await admin.db.study_records.get(rec.id)).toBeDefined()
  })

  it('a cursor the server cannot honour resets: the outbox is pushed first and kept, then everything re-pulled', async () => {
    const a = await device(server, org.memberA.phone)
    const engine = new SyncEngine(a.db, a.api)
    await createStudy(a.db, a.user, draft('before-reset'))
    await engine.sync()
    // The server was restored from an older backup: our cursor is ahead of it.
    await a.db.meta.put({ key: 'cursor', value: `${server.handle.epoch}:999999999` })
    // Someone else's row the server no longer has is dropped; the member's own is sent back.
    const first = (await a.db.study_records.toArray())[0]!
    await a.db.study_records.put({ ...first, id: newId(), ownerId: org.memberA2.id, title: 'stale-local-only' })
    await a.db.study_records.put({ ...first, id: newId(), title: 'own-lost-by-restore' })
    const pending = await createStudy(a.db, a.user, draft('pending-at-reset'))
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await serverRows('pending-at-reset')).toHaveLength(1)
    expect(await serverRows('own-lost-by-restore')).toHaveLength(1)
    const titles = (await a.db.study_records.toArray()).map((r) => r.title)
    expect(titles).toContain('before-reset')
    expect(titles).toContain('pending-at-reset')
    expect(titles).toContain('own-lost-by-restore')
    expect(titles).not.toContain('stale-local-only')
    expect(await a.db.study_records.get(pending.id)).toBeDefined()
  })

  it('a server restart between push and pull loses nothing', async () => {
    const a = await device(server, org.memberA.phone)
    await createStudy(a.db, a.user, draft('across-restart'))
    await server.restart()
    expect(await new SyncEngine(a.db, a.api).sync()).toEqual({ ok: true })
    expect(await serverRows('across-restart')).toHaveLength(1)
  })

  it('an expired session reports unauthorized and keeps the outbox', async () => {
    const a = await device(server, org.memberA.phone)
    await a.api.logout()
    await createStudy(a.db, a.user, draft('while-logged-out'))
    expect(await new SyncEngine(a.db, a.api).sync()).toEqual({ ok: false, failure: 'unauthorized' })
    expect(await a.db.outbox.count()).toBe(1)
  })

  it('session expired in the middle of syncing: sign in again, then resume with no loss or duplicates', async () => {
    const a = await device(server, org.memberA.phone)
    const engine = new SyncEngine(a.db, a.api)
    await createStudy(a.db, a.user, draft('before-expiry'))
    await engine.sync()
    await a.api.logout()
    await createStudy(a.db, a.user, draft('during-expiry'))
    expect(await engine.sync()).toEqual({ ok: false, failure: 'unauthorized' })
    await a.api.login({ phone: org.memberA.phone, password: PASSWORD })
    expect(await engine.sync()).toEqual({ ok: true })
    expect(await serverRows('before-expiry')).toHaveLength(1)
    expect(await serverRows('during-expiry')).toHaveLength(1)
    expect(await a.db.outbox.count()).toBe(0)
  })

  it('two server processes on one database serve the same member consistently', async () => {
    const second = await startServer({ dataDir: server.dataDir, databaseUrl: server.databaseUrl })
    try {
      const a = await device(server, org.memberA.phone)
      const b = await device(second, org.memberA.phone)
      const ea = new SyncEngine(a.db, a.api)
      const eb = new SyncEngine(b.db, b.api)
      const ra = await createStudy(a.db, a.user, draft('via-first-process'))
      const rb = await createStudy(b.db, b.user, draft('via-second-process'))
      await Promise.all([ea.sync(), eb.sync()])
      await Promise.all([ea.sync(), eb.sync()])
      for (const d of [a, b]) {
        expect(await d.db.study_records.get(ra.id)).toBeDefined()
        expect(await d.db.study_records.get(rb.id)).toBeDefined()
      }
    } finally {
      await second.close()
    }
  })

  it('a network failure is reported as such', async () => {
    const a = await device(server, org.memberA.phone, () => () => Promise.reject(new NetworkError()))
    await createStudy(a.db, a.user, draft('offline-only'))
    expect(await new SyncEngine(a.db, a.api).sync()).toEqual({ ok: false, failure: 'network' })
    expect(await a.db.outbox.count()).toBe(1)
  })
})
