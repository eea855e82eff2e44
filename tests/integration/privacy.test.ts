import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { answerFeedback, submitFeedback } from '../../src/client/features/feedback/feedback.repo.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { PRIVACY_NOTICE_VERSION, privacyNotice } from '../../src/core/domain/privacy-notice.ts'
import { DEFAULT_RETENTION, retentionFromEnv, retentionLines } from '../../src/core/domain/retention.ts'
import { runRetention, scheduleRetention } from '../../src/server/services/retention/job.ts'
import { newId } from '../../src/core/ids.ts'
import { createHttpClient } from '../../src/client/api/http.ts'
import { privacyEndpoints } from '../../src/client/api/privacy-endpoints.ts'

/** The privacy notice's acceptance, the separate consents, a household's 告知, and the retention job (issue 17). */
let server: TestServer
let org: Org
let member: Device
let admin: Device
let secretary: Device
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  member = await device(server, org.memberA.phone)
  admin = await device(server, org.admin.phone)
  secretary = await device(server, org.secretaryA.phone)
})
afterAll(() => server.close())
afterEach(() => vi.useRealTimers())

const priv = (d: Device) => privacyEndpoints(createHttpClient(server.url, d.fetch))
const post = async (d: Device, path: string, body: unknown) =>
  d.fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('个人信息保护说明 and consents', () => {
  it('records who accepted which version and when; an outdated version is refused so the member reads the new text', async () => {
    const before = await priv(member).privacyState()
    expect(before).toMatchObject({ currentVersion: PRIVACY_NOTICE_VERSION, acceptedVersion: null, acceptedAt: null })
    expect(before.retention).toEqual(DEFAULT_RETENTION)
    const stale = await post(member, '/api/me/privacy/accept', { version: PRIVACY_NOTICE_VERSION + 1 })
    expect(stale.status).toBe(409)
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/已更新/)
    const after = await priv(member).acceptPrivacy(PRIVACY_NOTICE_VERSION)
    expect(after.acceptedVersion).toBe(PRIVACY_NOTICE_VERSION)
    expect(Date.parse(after.acceptedAt ?? '')).toBeGreaterThan(Date.now() - 60_000)
    const rows = await server.handle.db.selectFrom('consent_events').selectAll().where('user_id', '=', org.memberA.id).execute()
    expect(rows).toEqual([expect.objectContaining({ kind: 'notice', version: PRIVACY_NOTICE_VERSION, granted: 1, org_id: org.orgId })])
    // Somebody else's acceptance is theirs: the administrator has accepted nothing.
    expect((await priv(admin).privacyState()).acceptedVersion).toBeNull()
  })

  it('each consent is given and withdrawn on its own, every decision kept; the export lists them', async () => {
    expect((await priv(member).privacyState()).consents).toEqual({ location: null, 'dues-base': null })
    await priv(member).setConsent({ kind: 'location', granted: true })
    const s = await priv(member).setConsent({ kind: 'location', granted: false })
    expect(s.consents.location).toMatchObject({ granted: false })
    expect(s.consents['dues-base']).toBeNull()
    const s2 = await priv(member).setConsent({ kind: 'dues-base', granted: true })
    expect(s2.consents).toMatchObject({ location: { granted: false }, 'dues-base': { granted: true } })
    const refused = await post(member, '/api/me/consents', { kind: 'notice', granted: true })
    expect(refused.status).toBe(400)
    const exported = (await (await member.fetch(`${server.url}/api/me/export`)).json()) as {
      consents: { what: string; granted: boolean }[]
    }
    expect(exported.consents.map((c) => `${c.what}:${String(c.granted)}`)).toEqual([
      '个人信息保护说明:true',
      '走访时记录位置:true',
      '走访时记录位置:false',
      '党费缴纳基数:true',
    ])
  })
})

describe('a household records whether it was told (告知) and by whom', () => {
  it('saved with the household, synced to whoever may see it; the teller must be a person of the organisation', async () => {
    const id = await saveHousehold(secretary.db, secretary.user, null, {
      branchId: org.branchA,
      name: '陈大娘',
      address: '',
      village: '西村',
      contact: '',
      situation: '',
      needs: '',
      memberIds: [org.memberA.id],
      informedOn: '2026-11-20',
      informedBy: org.secretaryA.id,
    })
    expect(await sync(secretary)).toEqual({ ok: true })
    await sync(member)
    expect(await member.db.households.get(id)).toMatchObject({ informedOn: '2026-11-20', informedBy: org.secretaryA.id })
    // And on the household card of the visits ledger.
    const res = await secretary.fetch(`${server.url}/api/visits-ledger/${org.branchA}/2026.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const sheet = wb.getWorksheet('联系户')
    const row = [3, 4, 5].map((n) => sheet?.getRow(n)).find((r) => r?.getCell(1).value === '陈大娘')
    expect(row?.getCell(8).value).toBe('2026-11-20 王书记告知')
    const stranger = await saveHousehold(secretary.db, secretary.user, null, {
      branchId: org.branchA,
      name: '无名',
      address: '',
      village: '',
      contact: '',
      situation: '',
      needs: '',
      memberIds: [],
      informedOn: '2026-11-20',
      informedBy: newId(),
    })
    await sync(secretary)
    expect((await secretary.db.rejected.toArray()).some((r) => r.mutation.rowId === stranger)).toBe(true)
  })
})

describe('retention (a fake clock)', () => {
  it('the notice’s 保存多久 is generated from the retention the server enforces', () => {
    const custom = { ...DEFAULT_RETENTION, visitPhotoYears: 8 }
    const section = privacyNotice(custom).find((s) => s.title === '保存多久')
    expect(section?.lines).toEqual(retentionLines(custom))
    expect(section?.lines.join('')).toContain('保存 8 年')
    expect(retentionFromEnv({ RETENTION_VISIT_PHOTO_YEARS: '3', RETENTION_FEEDBACK_YEARS: '2' })).toMatchObject({
      visitPhotoYears: 3,
      feedbackYears: 2,
    })
    expect(() => retentionFromEnv({ RETENTION_VISIT_PHOTO_YEARS: '0' })).toThrow(/RETENTION_VISIT_PHOTO_YEARS/)
    expect(() => retentionFromEnv({ RETENTION_FEEDBACK_YEARS: 'x' })).toThrow()
  })

  it('deletes visit photos past N years (records, files, the visit’s list, synced) and old answered 投诉建议; keeps the rest', async () => {
    const photoDir = join(server.dataDir, 'photos')
    mkdirSync(photoDir, { recursive: true })
    const visit = async (visitedAt: string) => {
      const id = await recordVisit(member.db, member.user, {
        householdId: null,
        place: '东村村委会',
        visitedAt,
        memberIds: [org.memberA.id],
        findings: '走访情况',
        problems: '',
        location: null,
        photos: [],
        followups: [],
      })
      return { id, photo: newId() }
    }
    const old = await visit('2020-03-01T02:00:00.000Z')
    const recent = await visit('2025-06-01T02:00:00.000Z')
    expect(await sync(member)).toEqual({ ok: true })
    // Give each visit a stored photo (as an upload would).
    for (const v of [old, recent]) {
      await server.handle.db
        .updateTable('visits')
        .set({ photo_ids: JSON.stringify([v.photo]) })
        .where('id', '=', v.id)
        .execute()
      await server.handle.db
        .insertInto('photos')
        .values({
          id: v.photo,
          org_id: org.orgId,
          owner_table: 'visits',
          owner_id: v.id,
          uploader_id: org.memberA.id,
          mime: 'image/jpeg',
          total: 3,
          received: 3,
          complete: 1,
          created_at: new Date().toISOString(),
        })
        .execute()
      writeFileSync(join(photoDir, v.photo), 'abc')
    }
    const oldFeedback = await submitFeedback(member.db, member.user, { category: 'suggestion', text: '旧建议', anonymous: false })
    const newFeedback = await submitFeedback(member.db, member.user, { category: 'suggestion', text: '新建议', anonymous: false })
    const waiting = await submitFeedback(member.db, member.user, { category: 'complaint', text: '未答复', anonymous: true })
    await sync(member)
    await sync(admin)
    await answerFeedback(admin.db, admin.user, oldFeedback, '已办')
    await answerFeedback(admin.db, admin.user, newFeedback, '已办')
    await sync(admin)
    await server.handle.db.updateTable('feedback').set({ answered_at: '2022-01-10T00:00:00.000Z' }).where('id', '=', oldFeedback).execute()
    await server.handle.db.updateTable('feedback').set({ created_at: '2020-01-10T00:00:00.000Z' }).where('id', '=', waiting).execute()

    const ctx = { db: server.handle.db, photoDir, retention: DEFAULT_RETENTION }
    // 2026-11-30: five years back is 2021-11-30 (the 2020 visit's photo goes, the 2025 one stays); three years back is 2023-11-30.
    const now = new Date('2026-11-30T01:00:00.000Z')
    expect(await runRetention(ctx, now)).toEqual({ visits: 1, photos: 1, feedback: 1 })
    expect(existsSync(join(photoDir, old.photo))).toBe(false)
    expect(existsSync(join(photoDir, recent.photo))).toBe(true)
    expect(await server.handle.db.selectFrom('photos').select('id').where('id', '=', old.photo).executeTakeFirst()).toBeUndefined()
    const stored = await server.handle.db.selectFrom('feedback').selectAll().where('id', '=', oldFeedback).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ deleted: 1, text: '', answer: '' })
    // A second run (or a second process) finds nothing more.
    expect(await runRetention(ctx, now)).toEqual({ visits: 0, photos: 0, feedback: 0 })
    // The phones learn at their next sync.
    await sync(member)
    expect((await member.db.visits.get(old.id))?.photoIds).toEqual([])
    const kept = await server.handle.db.selectFrom('visits').select('photo_ids').where('id', '=', recent.id).executeTakeFirstOrThrow()
    expect(JSON.parse(kept.photo_ids)).toEqual([recent.photo])
    expect((await member.db.visits.get(old.id))?.findings).toBe('走访情况')
    const gone = await member.db.feedback.get(oldFeedback)
    expect(gone === undefined || gone.deleted).toBe(true)
    expect(await member.db.feedback.get(newFeedback)).toMatchObject({ answer: '已办' })
    expect(await member.db.feedback.get(waiting)).toMatchObject({ text: '未答复' })
  })

  it('runs daily from the start, on the clock it is given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] })
    const dates: Date[] = []
    const log = { info: vi.fn(), error: vi.fn() }
    let day = new Date('2040-01-01T00:00:00.000Z').getTime()
    const job = scheduleRetention(
      { db: server.handle.db, photoDir: join(server.dataDir, 'photos'), retention: DEFAULT_RETENTION },
      log as unknown as Parameters<typeof scheduleRetention>[1],
      24 * 3600_000,
      () => {
        const d = new Date(day)
        dates.push(d)
        day += 24 * 3600_000
        return d
      },
    )
    vi.advanceTimersByTime(59_000)
    expect(dates).toHaveLength(0)
    vi.advanceTimersByTime(1_000)
    expect(dates).toHaveLength(1)
    vi.advanceTimersByTime(2 * 24 * 3600_000)
    expect(dates).toHaveLength(3)
    await job.stop()
    vi.advanceTimersByTime(24 * 3600_000)
    expect(dates).toHaveLength(3)
    expect(log.error).not.toHaveBeenCalled()
    // In 2040 every photo and answered item of the earlier test is past its time.
    expect(log.info).toHaveBeenCalled()
  })
})
