import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { confirmOutsideTraining, recordOutsideTraining } from '../../src/client/features/training/training.repo.ts'
import { uploadPendingPhotos } from '../../src/client/photos/upload-queue.ts'
import { writeRow } from '../../src/client/db/write.ts'
import { newId } from '../../src/core/ids.ts'
import { attendanceId } from '../../src/core/attendance-id.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'
import { nextSeq } from '../../src/server/repositories/sequence.ts'
import type { TrainingReply } from '../../src/core/contracts/training.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { MeetingType } from '../../src/core/domain/meetings.ts'

/**
 * 学时 end to end: outside training recorded offline with its certificate and confirmed by the
 * secretary; the flags each person may see; the administrator's settings; the 学时台账 and the
 * personal export counted from meetings attended, confirmed 补学 and confirmed outside training.
 */
let server: TestServer
let org: Org
const today = chinaToday(new Date())
const year = Number(today.slice(0, 4))
const jars = new Map<string, FetchFn>()
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8])

const jar = (who: keyof Org) => jars.get(who) as FetchFn
const post = (who: keyof Org, path: string, body: unknown) =>
  jar(who)(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const get = async <T>(who: keyof Org, path: string): Promise<T> => (await (await jar(who)(`${server.url}${path}`)).json()) as T
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

async function meeting(type: MeetingType, startsAt: string, durationMinutes: number, present: string[]): Promise<string> {
  const id = newId()
  const now = new Date().toISOString()
  await server.handle.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('meetings')
      .values({
        id,
        org_id: org.orgId,
        branch_id: org.branchA,
        type,
        topic: `${type}专题`,
        starts_at: startsAt,
        duration_minutes: durationMinutes,
        place: '',
        organiser_id: org.secretaryA.id,
        speaker: '',
        expected_ids: JSON.stringify([org.memberA.id, org.memberA2.id]),
        agenda: '',
        minutes: '',
        talk_with_id: null,
        sign_key: 'k'.repeat(43),
        photo_ids: '[]',
        created_by: org.secretaryA.id,
        created_at: now,
        updated_at: now,
        deleted: 0,
        seq: await nextSeq(trx),
      })
      .execute()
    for (const memberId of present)
      await trx
        .insertInto('attendance')
        .values({
          id: attendanceId(id, memberId),
          org_id: org.orgId,
          branch_id: org.branchA,
          meeting_id: id,
          member_id: memberId,
          status: 'present',
          method: 'manual',
          signed_at: startsAt,
          leave_reason: '',
          leave_state: null,
          marked_by: org.secretaryA.id,
          note: '',
          updated_at: now,
          seq: await nextSeq(trx),
        })
        .execute()
  })
  return id
}

let member: Device
let secretary: Device
let trainingId = ''

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  for (const who of ['memberA', 'memberA2', 'secretaryA', 'memberB', 'admin'] as const) jars.set(who, await signIn(server, org[who].phone))
  member = await device(server, org.memberA.phone)
  secretary = await device(server, org.secretaryA.phone)
})
afterAll(() => server.close())

describe('其他培训 (outside training)', () => {
  it('the member records it offline with the certificate; the secretary sees it, confirms it; then it is no longer edited', async () => {
    const t = await recordOutsideTraining(
      member.db,
      member.user,
      {
        kind: 'party_school',
        title: '县委党校党员轮训',
        organiser: '县委党校',
        startOn: `${year}-01-05`,
        endOn: `${year}-01-09`,
        minutes: 600,
        notes: '',
      },
      [{ blob: new Blob([PNG], { type: 'image/png' }), width: 10, height: 10 }],
    )
    trainingId = t.id
    expect((await sync(member)).ok).toBe(true)
    await uploadPendingPhotos(member.db, member.api)
    expect((await member.db.photo_blobs.get(t.photoIds[0] ?? ''))?.state).toBe('uploaded')

    // The secretary sees the record and its certificate; the other branch does not.
    await sync(secretary)
    expect((await secretary.db.outside_trainings.get(t.id))?.title).toBe('县委党校党员轮训')
    expect((await jar('secretaryA')(`${server.url}/api/photos/${t.photoIds[0]}`)).status).toBe(200)
    expect((await jar('memberB')(`${server.url}/api/photos/${t.photoIds[0]}`)).status).toBe(404)
    // Only the member uploads a certificate.
    const other = await jar('secretaryA')(`${server.url}/api/photos/${newId()}?training=${t.id}&offset=0&total=16`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: PNG,
    })
    expect(other.status).toBe(403)

    // The member cannot confirm their own; the secretary does.
    await writeRow(member.db, 'outside_trainings', { ...t }, { confirmed: true })
    const own = await sync(member)
    expect(own.ok).toBe(true)
    expect((await member.db.rejected.toArray()).map((r) => r.code)).toContain('forbidden')
    await confirmOutsideTraining(secretary.db, secretary.user, t.id)
    expect((await sync(secretary)).ok).toBe(true)
    const row = await server.handle.db.selectFrom('outside_trainings').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow()
    expect(row.confirmed_by).toBe(org.secretaryA.id)

    await sync(member)
    const confirmed = await member.db.outside_trainings.get(t.id)
    expect(confirmed?.confirmedBy).toBe(org.secretaryA.id)
    await writeRow(member.db, 'outside_trainings', { ...(confirmed ?? t), minutes: 6000 }, { minutes: 6000 })
    await sync(member)
    const refused = (await member.db.rejected.toArray()).find((r) => r.mutation.fields?.minutes === 6000)
    expect(refused?.message).toBe('已确认的培训记录不能修改')
  })

  it('refuses a training that has not ended yet, or ends before it starts, in Chinese', async () => {
    const push = (fields: Record<string, unknown>) =>
      post('memberA', '/api/sync/push', {
        clientId: newId(),
        mutations: [{ id: newId(), table: 'outside_trainings', op: 'upsert', rowId: newId(), fields, base: {}, clientTime: '', v: 1 }],
      }).then(async (r) => ((await r.json()) as { results: { status: string; message?: string }[] }).results[0])
    const base = {
      kind: 'online',
      title: '网络培训',
      organiser: '',
      minutes: 90,
      photoIds: [],
      notes: '',
      createdAt: new Date().toISOString(),
    }
    expect(await push({ ...base, startOn: '2099-01-01', endOn: '2099-01-02' })).toMatchObject({
      status: 'rejected',
      message: '培训结束后再登记',
    })
    expect(await push({ ...base, startOn: `${year}-01-09`, endOn: `${year}-01-05` })).toMatchObject({
      status: 'rejected',
      message: '结束日期不能早于开始日期',
    })
  })
})

describe('settings and flags', () => {
  it('an administrator sets the training types and the hour length; the defaults come back with null', async () => {
    expect((await get<TrainingReply>('memberA', '/api/org/training')).settings).toEqual({
      types: ['party_lesson', 'study_group'],
      minutesPerHour: 45,
    })
    expect((await post('admin', '/api/admin/training', { settings: { types: ['party_lesson'], minutesPerHour: 50 } })).status).toBe(400)
    const set = await post('admin', '/api/admin/training', { settings: { types: ['party_lesson', 'party_lesson'], minutesPerHour: 60 } })
    expect(set.status).toBe(200)
    expect(((await set.json()) as TrainingReply).settings).toEqual({ types: ['party_lesson'], minutesPerHour: 60 })
    expect((await get<TrainingReply>('memberB', '/api/org/training')).custom).toBe(true)
  })

  it('the secretary marks a cadre and a frail member of the branch; each sees only what is theirs to see', async () => {
    expect((await post('secretaryA', `/api/training/flags/${org.memberA.id}`, { cadre: true, exempt: false })).status).toBe(200)
    expect((await post('secretaryA', `/api/training/flags/${org.memberA2.id}`, { cadre: false, exempt: true })).status).toBe(200)
    expect((await post('secretaryA', `/api/training/flags/${org.memberB.id}`, { cadre: true, exempt: false })).status).toBe(404)
    expect((await get<TrainingReply>('memberA', '/api/org/training')).flags).toEqual({ [org.memberA.id]: { cadre: true, exempt: false } })
    // A frail member's flag is not for the other members of the branch.
    expect(Object.keys((await get<TrainingReply>('memberA2', '/api/org/training')).flags)).toEqual([org.memberA2.id])
    expect(Object.keys((await get<TrainingReply>('memberB', '/api/org/training')).flags)).toEqual([])
    expect(Object.keys((await get<TrainingReply>('secretaryA', '/api/org/training')).flags).sort()).toEqual(
      [org.memberA.id, org.memberA2.id].sort(),
    )
    expect(Object.keys((await get<TrainingReply>('admin', '/api/org/training')).flags)).toHaveLength(2)
  })

  it('lists 预备党员 whose probation ends within 30 days for the secretary, never for members', async () => {
    const joined = new Date(Date.parse(`${today}T00:00:00Z`) - 350 * 86_400_000).toISOString().slice(0, 10)
    await server.handle.db
      .updateTable('users')
      .set({ status: 'probationary', joined_party_on: joined })
      .where('id', '=', org.memberA2.id)
      .execute()
    const sec = await get<TrainingReply>('secretaryA', '/api/org/training')
    expect(sec.probations.map((p) => p.name)).toEqual(['李四'])
    expect(sec.probations[0]?.inDays).toBeGreaterThanOrEqual(14)
    expect(sec.probations[0]?.inDays).toBeLessThanOrEqual(16)
    expect((await get<TrainingReply>('memberA2', '/api/org/training')).probations).toEqual([])
    expect((await get<TrainingReply>('memberB', '/api/org/training')).probations).toEqual([])
  })
})

describe('学时台账 and the personal export', () => {
  it('counts attended training meetings, confirmed 补学 and confirmed outside training, per member, with requirement and flags', async () => {
    // 60 minutes per 学时 (set above); only 党课 are training.
    await meeting('party_lesson', `${year}-01-10T01:00:00.000Z`, 120, [org.memberA.id, org.memberA2.id])
    await meeting('theme_day', `${year}-01-12T01:00:00.000Z`, 60, [org.memberA.id])
    const missed = await meeting('party_lesson', `${year}-01-20T01:00:00.000Z`, 90, [])
    // memberA2 makes up the missed lesson, and the secretary confirms it.
    const a2 = await device(server, org.memberA2.phone)
    await sync(a2)
    const { fileMakeup } = await import('../../src/client/features/meetings/meetings.repo.ts')
    const m = await a2.db.meetings.get(missed)
    if (!m) throw new Error('meeting not pulled')
    await fileMakeup(a2.db, a2.user, m, { content: '自学党课讲稿', date: `${year}-01-25`, notes: '' })
    await sync(a2)
    await sync(secretary)
    const { confirmMakeup } = await import('../../src/client/features/meetings/meetings.repo.ts')
    const makeup = (await secretary.db.makeups.toArray()).find((k) => k.meetingId === missed)
    await confirmMakeup(secretary.db, secretary.user, makeup?.id ?? '')
    expect((await sync(secretary)).ok).toBe(true)

    const res = await jar('secretaryA')(`${server.url}/api/training-ledger/${org.branchA}/${year}.xlsx`)
    expect(res.status).toBe(200)
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`第一党支部${year}年学时台账.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['学时明细', '学时汇总', '计算依据'])
    const rows = (name: string) => (wb.getWorksheet(name)?.getSheetValues().slice(3) as unknown[][]).filter(Boolean).map((r) => r.slice(1))
    const items = rows('学时明细').map((r) => [r[0], r[2], r[5], r[6]])
    expect(items).toEqual([
      ['李四', '参加会议', 120, 2],
      ['李四', '补学', 90, 1.5],
      ['张三', '其他培训', 600, 10],
      ['张三', '参加会议', 120, 2],
    ])
    const totals = rows('学时汇总').map((r) => r.slice(0, 6))
    expect(totals).toEqual([
      ['李四', 210, 3.5, '不作硬性要求', '', '年老体弱或患有重病'],
      ['王书记', 0, 0, 32, 32, ''],
      ['张三', 720, 12, 90, 78, '乡科级及以下干部'],
    ])
    expect(rows('计算依据').flat().join()).toContain('不计入：党员自行记录的学习')

    // The same count in the member's own export, with the outside training as they recorded it.
    const data = await get<{
      training: {
        minutesPerHour: number
        years: { year: number; hours: number; items: unknown[] }[]
        outsideTrainings: { title: string }[]
      }
    }>('memberA', '/api/me/export')
    expect(data.training.minutesPerHour).toBe(60)
    expect(data.training.years.map((y) => [y.year, y.hours, y.items.length])).toEqual([[year, 12, 2]])
    expect(data.training.outsideTrainings.map((o) => o.title)).toEqual(['县委党校党员轮训'])
    const xlsx = await jar('memberA')(`${server.url}/api/me/export.xlsx`)
    const personal = new ExcelJS.Workbook()
    await personal.xlsx.load(await xlsx.arrayBuffer())
    expect(personal.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['学时', '其他培训']))
    expect(trainingId).not.toBe('')
  })
})
