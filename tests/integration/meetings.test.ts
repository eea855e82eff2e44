import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import ICAL from 'ical.js'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import {
  addMeetingPhotos,
  createMeeting,
  decideLeave,
  fileMakeup,
  confirmMakeup,
  markAttendance,
  requestLeave,
  signInWithCode,
} from '../../src/client/features/meetings/meetings.repo.ts'
import { newMeetingKey, signInLink, signToken, windowOf, REFUSAL_TEXT } from '../../src/core/domain/sign-in-token.ts'
import { MUTATION_VERSION, type PullResponse, type PushResponse } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import { attendanceId } from '../../src/core/attendance-id.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'
import type { FetchFn } from '../../src/client/api/http.ts'

let server: TestServer
let org: Org
const dev: Record<'secretary' | 'memberA' | 'memberA2' | 'memberB' | 'admin', Device> = {} as never
let branchMeeting: Meeting
let otherBranchMeeting: Meeting
let leadershipMeeting: Meeting
let futureMeeting: Meeting
const HOUR = 3600_000
const startedAt = Date.now() - 3 * HOUR

const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()
const base = {
  place: '三楼会议室',
  speaker: '',
  agenda: '学习贯彻全会精神',
  minutes: '议题：\n决议：\n',
  talkWithId: null,
  durationMinutes: 60,
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  dev.secretary = await device(server, org.secretaryA.phone)
  dev.memberA = await device(server, org.memberA.phone)
  dev.memberA2 = await device(server, org.memberA2.phone)
  dev.memberB = await device(server, org.memberB.phone)
  dev.admin = await device(server, org.admin.phone)
  // Created offline on the organisers' phones, then synced.
  branchMeeting = await createMeeting(dev.secretary.db, dev.secretary.user, {
    ...base,
    branchId: org.branchA,
    type: 'branch_committee',
    topic: '11月支部委员会',
    startsAt: new Date(startedAt).toISOString(),
    organiserId: org.secretaryA.id,
    expectedIds: [org.memberA.id, org.memberA2.id, org.secretaryA.id],
  })
  futureMeeting = await createMeeting(dev.secretary.db, dev.secretary.user, {
    ...base,
    branchId: org.branchA,
    type: 'theme_day',
    topic: '12月主题党日',
    startsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
    organiserId: org.secretaryA.id,
    expectedIds: [org.memberA.id, org.memberA2.id],
  })
  otherBranchMeeting = await createMeeting(dev.admin.db, dev.admin.user, {
    ...base,
    branchId: org.branchB,
    type: 'group',
    topic: '第二支部党小组会',
    startsAt: new Date(startedAt).toISOString(),
    organiserId: org.admin.id,
    expectedIds: [org.memberB.id],
  })
  leadershipMeeting = await createMeeting(dev.admin.db, dev.admin.user, {
    ...base,
    branchId: null,
    type: 'study_group',
    topic: '中心组学习',
    startsAt: new Date(startedAt).toISOString(),
    organiserId: org.admin.id,
    expectedIds: [org.memberA.id, org.admin.id],
  })
  expect(await sync(dev.secretary)).toEqual({ ok: true })
  expect(await sync(dev.admin)).toEqual({ ok: true })
  expect(await dev.secretary.db.rejected.count()).toBe(0)
  expect(await dev.admin.db.rejected.count()).toBe(0)
  for (const d of [dev.memberA, dev.memberA2, dev.memberB]) await sync(d)
})
afterAll(() => server.close())

/** A code as the organiser's phone showed it at `at`. */
async function codeAt(meeting: Meeting, at: number, key = meeting.signKey ?? ''): Promise<string> {
  const w = windowOf(at)
  return signInLink('https://example.org', meeting.id, w, await signToken(key, meeting.id, w))
}

describe('who sees and writes which meeting', () => {
  const meetingsOf = async (d: Device) => new Map((await d.db.meetings.toArray()).map((m) => [m.id, m]))
  it('members see the meetings they are expected at, never the sign-in key; managers see their branch with the key', async () => {
    const visible = {
      memberA: [branchMeeting, futureMeeting, leadershipMeeting],
      memberA2: [branchMeeting, futureMeeting],
      memberB: [otherBranchMeeting],
      secretary: [branchMeeting, futureMeeting],
      admin: [branchMeeting, futureMeeting, otherBranchMeeting, leadershipMeeting],
    }
    for (const [who, expected] of Object.entries(visible) as [keyof typeof dev, Meeting[]][]) {
      await sync(dev[who])
      const seen = await meetingsOf(dev[who])
      expect([...seen.keys()].sort(), who).toEqual(expected.map((m) => m.id).sort())
      for (const m of seen.values()) {
        const manages = who === 'admin' || (who === 'secretary' && m.branchId === org.branchA)
        expect(m.signKey !== null, `${who} key for ${m.topic}`).toBe(manages)
      }
    }
  })

  const edit = async (f: FetchFn, m: Meeting) =>
    (
      (await (
        await f(`${server.url}/api/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            clientId: newId(),
            mutations: [
              {
                id: newId(),
                table: 'meetings',
                op: 'upsert',
                rowId: m.id,
                fields: { place: '二楼' },
                base: {},
                clientTime: new Date().toISOString(),
                v: MUTATION_VERSION,
              },
            ],
          }),
        })
      ).json()) as PushResponse
    ).results[0]

  it("a secretary edits their branch's meetings only; members edit none; administrators all", async () => {
    const jars = {
      secretary: await signIn(server, org.secretaryA.phone),
      member: await signIn(server, org.memberA.phone),
      admin: await signIn(server, org.admin.phone),
    }
    const cells: [keyof typeof jars, Meeting, boolean][] = [
      ['secretary', branchMeeting, true],
      ['secretary', otherBranchMeeting, false],
      ['secretary', leadershipMeeting, false],
      ['member', branchMeeting, false],
      ['member', leadershipMeeting, false],
      ['admin', branchMeeting, true],
      ['admin', otherBranchMeeting, true],
      ['admin', leadershipMeeting, true],
    ]
    for (const [who, m, ok] of cells) {
      const r = await edit(jars[who], m)
      expect(r?.status, `${who} edits ${m.topic}`).toBe(ok ? 'applied' : 'rejected')
      if (!ok) expect(r?.code).toBe('forbidden')
    }
    // A member reading a refusal learns nothing of a meeting they may not see.
    const r = await edit(jars.member, otherBranchMeeting)
    expect(r?.row ?? null).toBeNull()
  })

  it("attendance and 补学: a member reads their own rows; the branch secretary the branch's; not another branch's", async () => {
    const b = await device(server, org.memberB.phone)
    await signInWithCode(b.db, b.user, await codeAt(otherBranchMeeting, startedAt + 60_000), startedAt + 62_000)
    expect(await sync(b)).toEqual({ ok: true })
    const pulled = async (phone: string) => {
      const jar = await signIn(server, phone)
      const page = (await (await jar(`${server.url}/api/sync/pull?limit=2000`)).json()) as PullResponse
      return page.changes.filter((c) => c.table === 'attendance').map((c) => c.rowId)
    }
    const row = attendanceId(otherBranchMeeting.id, org.memberB.id)
    expect(await pulled(org.memberB.phone)).toContain(row)
    expect(await pulled(org.admin.phone)).toContain(row)
    expect(await pulled(org.secretaryA.phone)).not.toContain(row)
    expect(await pulled(org.memberA.phone)).not.toContain(row)
  })
})

describe('sign-in', () => {
  it('a sign-in scanned offline during the meeting and pushed hours later is accepted; a second phone and retries make no second row', async () => {
    const secretaryCopy = (await dev.secretary.db.meetings.get(branchMeeting.id)) as Meeting
    const link = await codeAt(secretaryCopy, startedAt + 5 * 60_000)
    await signInWithCode(dev.memberA.db, dev.memberA.user, link, startedAt + 5 * 60_000 + 1500)
    const phone2 = await device(server, org.memberA.phone)
    await signInWithCode(phone2.db, phone2.user, await codeAt(secretaryCopy, startedAt + 9 * 60_000), startedAt + 9 * 60_000 + 800)
    expect(await sync(dev.memberA)).toEqual({ ok: true })
    expect(await sync(phone2)).toEqual({ ok: true })
    expect(await sync(dev.memberA)).toEqual({ ok: true })
    const rows = await server.handle.db
      .selectFrom('attendance')
      .selectAll()
      .where('meeting_id', '=', branchMeeting.id)
      .where('member_id', '=', org.memberA.id)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'present', method: 'scan', signed_at: new Date(startedAt + 5 * 60_000 + 1500).toISOString() })
    expect(await dev.memberA.db.rejected.count()).toBe(0)
    // The organiser's phone shows them present.
    await sync(dev.secretary)
    expect((await dev.secretary.db.attendance.get(attendanceId(branchMeeting.id, org.memberA.id)))?.status).toBe('present')
  })

  it('a forged code is refused with a reason the member reads', async () => {
    const forged = await codeAt({ ...branchMeeting, signKey: newMeetingKey() }, startedAt + 10 * 60_000)
    await signInWithCode(dev.memberA2.db, dev.memberA2.user, forged, startedAt + 10 * 60_000)
    expect(await sync(dev.memberA2)).toEqual({ ok: true })
    const [refused] = await dev.memberA2.db.rejected.toArray()
    expect(refused?.message).toBe(REFUSAL_TEXT.bad_token)
    expect((await dev.memberA2.db.attendance.get(attendanceId(branchMeeting.id, org.memberA2.id)))?.status ?? null).toBeNull()
    await dev.memberA2.db.rejected.clear()
  })

  it('a code kept and used later (a forwarded screenshot) is refused on the phone already', async () => {
    const late = await codeAt(branchMeeting, startedAt + 10 * 60_000)
    await expect(signInWithCode(dev.memberA2.db, dev.memberA2.user, late, startedAt + 40 * 60_000)).rejects.toThrow(REFUSAL_TEXT.expired)
  })

  it('the organiser marks by hand; a hand mark never overrides a verified scan', async () => {
    const meeting = (await dev.secretary.db.meetings.get(branchMeeting.id)) as Meeting
    await markAttendance(dev.secretary.db, dev.secretary.user, meeting, org.memberA2.id, 'absent')
    // Bypassing the phone's own check: the server refuses to turn a scanned member absent.
    const { writeRow } = await import('../../src/client/db/write.ts')
    const scanned = (await dev.secretary.db.attendance.get(attendanceId(meeting.id, org.memberA.id)))!
    await writeRow(
      dev.secretary.db,
      'attendance',
      { ...scanned, status: 'absent' },
      { meetingId: meeting.id, memberId: org.memberA.id, status: 'absent' },
    )
    expect(await sync(dev.secretary)).toEqual({ ok: true })
    const rejected = await dev.secretary.db.rejected.toArray()
    expect(rejected.map((r) => r.message)).toEqual(['该党员已扫码签到，不能改为请假或缺席'])
    expect((await dev.secretary.db.attendance.get(attendanceId(meeting.id, org.memberA.id)))?.status).toBe('present')
    // A member scanning after being marked absent by hand is present.
    await signInWithCode(dev.memberA2.db, dev.memberA2.user, await codeAt(meeting, startedAt + 20 * 60_000), startedAt + 20 * 60_000 + 500)
    expect(await sync(dev.memberA2)).toEqual({ ok: true })
    await sync(dev.secretary)
    expect((await dev.secretary.db.attendance.get(attendanceId(meeting.id, org.memberA2.id)))?.status).toBe('present')
  })
})

describe('leave and make-up study', () => {
  it('a member asks for leave before the meeting; the secretary approves; the member files 补学; the secretary confirms', async () => {
    const meeting = (await dev.memberA2.db.meetings.get(futureMeeting.id)) as Meeting
    await requestLeave(dev.memberA2.db, dev.memberA2.user, meeting, '外出办案')
    await sync(dev.memberA2)
    await sync(dev.secretary)
    const asked = await dev.secretary.db.attendance.get(attendanceId(meeting.id, org.memberA2.id))
    expect(asked).toMatchObject({ leaveReason: '外出办案', leaveState: 'requested' })
    await decideLeave(dev.secretary.db, dev.secretary.user, meeting, org.memberA2.id, 'approved')
    await sync(dev.secretary)
    await sync(dev.memberA2)
    expect(await dev.memberA2.db.attendance.get(attendanceId(meeting.id, org.memberA2.id))).toMatchObject({
      status: 'leave',
      leaveState: 'approved',
    })

    await fileMakeup(dev.memberA2.db, dev.memberA2.user, meeting, {
      content: '自学会议材料',
      date: '2026-11-28',
      notes: '认真学习了会议精神',
    })
    await sync(dev.memberA2)
    await sync(dev.secretary)
    const [made] = await dev.secretary.db.makeups.toArray()
    expect(made).toMatchObject({ memberId: org.memberA2.id, content: '自学会议材料', confirmedAt: null })
    await confirmMakeup(dev.secretary.db, dev.secretary.user, made?.id ?? '')
    await sync(dev.secretary)
    await sync(dev.memberA2)
    expect((await dev.memberA2.db.makeups.toArray())[0]?.confirmedBy).toBe(org.secretaryA.id)
    // A member cannot confirm their own.
    expect(await dev.memberA2.db.rejected.count()).toBe(0)
  })
})

describe('meeting photos', () => {
  it('the organiser adds photos offline; they upload after the meeting syncs; those expected see them, others do not', async () => {
    const { uploadPendingPhotos } = await import('../../src/client/photos/upload-queue.ts')
    const bytes = new Uint8Array(300_000)
    bytes.set([0xff, 0xd8, 0xff, 0xe0])
    await addMeetingPhotos(dev.secretary.db, branchMeeting.id, [
      { blob: new Blob([bytes], { type: 'image/jpeg' }), width: 1600, height: 1200 },
    ])
    expect(await sync(dev.secretary)).toEqual({ ok: true })
    expect(await uploadPendingPhotos(dev.secretary.db, dev.secretary.api)).toEqual({ uploaded: 1, waiting: 0 })
    await sync(dev.memberA)
    const [photoId] = (await dev.memberA.db.meetings.get(branchMeeting.id))?.photoIds ?? []
    const seen = await (await signIn(server, org.memberA.phone))(`${server.url}/api/photos/${photoId}`)
    expect(seen.status).toBe(200)
    expect((await seen.arrayBuffer()).byteLength).toBe(300_000)
    expect((await (await signIn(server, org.memberB.phone))(`${server.url}/api/photos/${photoId}`)).status).toBe(404)
    // A member may not add photos to a meeting they only attend.
    const jar = await signIn(server, org.memberA.phone)
    const res = await jar(`${server.url}/api/photos/${newId()}?meeting=${branchMeeting.id}&offset=0&total=10`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Blob([new Uint8Array(10)]),
    })
    expect(res.status).toBe(403)
  })
})

describe('ledger and calendar', () => {
  it('the yearly ledger opens in a real xlsx reader with the meetings, attendance and 补学 rows', async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const year = new Date(Date.now() + 8 * HOUR).getUTCFullYear()
    const res = await jar(`${server.url}/api/ledger/${org.branchA}/${year}.xlsx`)
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['会议', '出勤', '补学'])
    const meetings = wb.getWorksheet('会议')!
    // A title row (branch and year) above the header, landscape, dates as dates in China time.
    expect(meetings.getCell('A1').value).toBe(`第一党支部${year}年组织生活台账（会议）`)
    expect(meetings.getRow(2).values).toContain('补学')
    expect(meetings.pageSetup.orientation).toBe('landscape')
    const rows = meetings.getSheetValues().slice(3) as unknown[][]
    const committee = rows.find((r) => r[3] === '11月支部委员会')
    expect(committee?.[1]).toBeInstanceOf(Date)
    expect(Math.abs((committee?.[1] as Date).getTime() - (startedAt + 8 * HOUR))).toBeLessThan(1000)
    // 应到 3, 实到 2 (张三 scanned, 李四 scanned after a hand mark), 请假 0, 缺席 1 (the secretary).
    expect(committee?.slice(7, 12)).toEqual([3, 2, 0, 1, '67%'])
    // The 补学 column: who made up for a missed meeting, and whether it was confirmed.
    expect(rows.filter((r) => r[13]).map((r) => r[13])).toEqual(['李四（已确认）'])
    // The minutes template's headings alone are not exported as minutes.
    expect(committee?.[14] ?? '').toBe('')
    // A meeting still to come is 未召开: nobody absent, no attendance rate, nobody listed as 缺席.
    const future = rows.find((r) => r[3] === '12月主题党日')
    expect(future?.[11]).toBe('未召开')
    expect(future?.[10]).toBe(0)
    expect(String(future?.[12] ?? '')).not.toMatch(/缺席/)
    const attendance = (wb.getWorksheet('出勤')!.getSheetValues().slice(3) as unknown[][]).filter((r) => r[2] === '11月支部委员会')
    expect(attendance.map((r) => [r[3], r[4], r[5]])).toEqual([
      ['张三', '出席', '扫码'],
      ['李四', '出席', '扫码'],
      ['王书记', '缺席', ''],
    ])
    const futureRoll = (wb.getWorksheet('出勤')!.getSheetValues().slice(3) as unknown[][]).filter((r) => r[2] === '12月主题党日')
    expect(futureRoll.length).toBeGreaterThan(0)
    for (const r of futureRoll) expect(r[4]).not.toBe('缺席')
    const makeups = wb.getWorksheet('补学')!.getSheetValues().slice(3) as unknown[][]
    expect(makeups.map((r) => [r[3], r[4], r[5], r[8]])).toEqual([['李四', '请假', '自学会议材料', '王书记']])
    // Another branch's ledger is not theirs.
    expect((await jar(`${server.url}/api/ledger/${org.branchB}/${year}.xlsx`)).status).toBe(403)
  })

  it("a meeting's .ics parses with a real ICS parser", async () => {
    const jar = await signIn(server, org.memberA.phone)
    const res = await jar(`${server.url}/api/meetings/${branchMeeting.id}.ics`)
    // The file is named after the meeting (China date), not meeting.ics.
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '')).toMatch(
      /^\d{4}-\d{2}-\d{2} 支部委员会 11月支部委员会\.ics$/,
    )
    const cal = new ICAL.Component(ICAL.parse(await res.text()))
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent') ?? undefined)
    expect(event.summary).toBe('支部委员会：11月支部委员会')
    expect(event.location).toBe('二楼')
    expect(event.startDate.toJSDate().getTime()).toBe(Math.floor(startedAt / 1000) * 1000)
    expect(event.duration.toSeconds()).toBe(3600)
    expect((await (await signIn(server, org.memberB.phone))(`${server.url}/api/meetings/${branchMeeting.id}.ics`)).status).toBe(404)
  })
})
