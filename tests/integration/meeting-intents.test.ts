import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createMeeting, signInWithCode } from '../../src/client/features/meetings/meetings.repo.ts'
import { signInLink, signToken, windowOf } from '../../src/core/domain/sign-in-token.ts'
import { MUTATION_VERSION, type PushResponse, type PushResult } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import { attendanceId } from '../../src/core/attendance-id.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'
import type { FetchFn } from '../../src/client/api/http.ts'

/**
 * Who may write their own intents (sign-in, leave, 补学) into a meeting: those expected at it;
 * for a sign-in also members of the meeting's own branch (列席) and those who manage it; never a
 * member of another branch who was not expected, even with a valid code or the meeting's id from
 * a sign-in link (docs/sync.md, "Meetings, attendance and 补学").
 */
let server: TestServer
let org: Org
const dev: Record<'secretary' | 'admin', Device> = {} as never
const jars: Record<'memberA' | 'memberA2' | 'memberB' | 'secretary', FetchFn> = {} as never
let branchA: Meeting
let branchAFuture: Meeting
let branchB: Meeting
let branchBFuture: Meeting
let leadership: Meeting
const HOUR = 3600_000
const startedAt = Date.now() - 2 * HOUR
const base = { place: '会议室', speaker: '', agenda: '', minutes: '', talkWithId: null, durationMinutes: 60 }
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  dev.secretary = await device(server, org.secretaryA.phone)
  dev.admin = await device(server, org.admin.phone)
  const past = new Date(startedAt).toISOString()
  const future = new Date(Date.now() + 48 * HOUR).toISOString()
  // Branch A's meetings expect 张三 and the secretary, not 李四 (of branch A too).
  branchA = await createMeeting(dev.secretary.db, dev.secretary.user, {
    ...base,
    branchId: org.branchA,
    type: 'branch_committee',
    topic: 'A 支部委员会',
    startsAt: past,
    organiserId: org.secretaryA.id,
    expectedIds: [org.memberA.id, org.secretaryA.id],
  })
  branchAFuture = await createMeeting(dev.secretary.db, dev.secretary.user, {
    ...base,
    branchId: org.branchA,
    type: 'theme_day',
    topic: 'A 主题党日',
    startsAt: future,
    organiserId: org.secretaryA.id,
    expectedIds: [org.memberA.id],
  })
  branchB = await createMeeting(dev.admin.db, dev.admin.user, {
    ...base,
    branchId: org.branchB,
    type: 'group',
    topic: 'B 党小组会',
    startsAt: past,
    organiserId: org.admin.id,
    expectedIds: [org.memberB.id],
  })
  branchBFuture = await createMeeting(dev.admin.db, dev.admin.user, {
    ...base,
    branchId: org.branchB,
    type: 'theme_day',
    topic: 'B 主题党日',
    startsAt: future,
    organiserId: org.admin.id,
    expectedIds: [org.memberB.id],
  })
  leadership = await createMeeting(dev.admin.db, dev.admin.user, {
    ...base,
    branchId: null,
    type: 'study_group',
    topic: '中心组学习',
    startsAt: past,
    organiserId: org.admin.id,
    expectedIds: [org.admin.id, org.memberA.id],
  })
  expect(await sync(dev.secretary)).toEqual({ ok: true })
  expect(await sync(dev.admin)).toEqual({ ok: true })
  jars.memberA = await signIn(server, org.memberA.phone)
  jars.memberA2 = await signIn(server, org.memberA2.phone)
  jars.memberB = await signIn(server, org.memberB.phone)
  jars.secretary = await signIn(server, org.secretaryA.phone)
})
afterAll(() => server.close())

async function push(
  jar: FetchFn,
  table: 'attendance' | 'makeups',
  rowId: string,
  fields: Record<string, unknown>,
  clientTime = new Date().toISOString(),
): Promise<PushResult> {
  const res = await jar(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: newId(),
      mutations: [{ id: newId(), table, op: 'upsert', rowId, fields, base: {}, clientTime, v: MUTATION_VERSION }],
    }),
  })
  expect(res.status).toBe(200)
  const [result] = ((await res.json()) as PushResponse).results
  if (!result) throw new Error('no result')
  return result
}

/** A sign-in with a valid code of the meeting (as if scanned in the room), for `memberId`. */
async function scan(jar: FetchFn, meeting: Meeting, memberId: string): Promise<PushResult> {
  const at = startedAt + 10 * 60_000
  const window = windowOf(at)
  const token = await signToken(meeting.signKey ?? '', meeting.id, window)
  return push(jar, 'attendance', attendanceId(meeting.id, memberId), {
    meetingId: meeting.id,
    memberId,
    scan: { window, token, scannedAt: new Date(at + 1000).toISOString() },
    status: 'present',
    method: 'scan',
  })
}
const leave = (jar: FetchFn, meeting: Meeting, memberId: string) =>
  push(jar, 'attendance', attendanceId(meeting.id, memberId), {
    meetingId: meeting.id,
    memberId,
    leaveReason: '出差',
    leaveState: 'requested',
  })
const makeup = (jar: FetchFn, meeting: Meeting) =>
  push(jar, 'makeups', newId(), {
    meetingId: meeting.id,
    content: '自学会议材料',
    date: '2026-11-28',
    notes: '',
    createdAt: new Date().toISOString(),
  })

const attendanceRow = (meeting: Meeting, memberId: string) =>
  server.handle.db.selectFrom('attendance').selectAll().where('id', '=', attendanceId(meeting.id, memberId)).executeTakeFirst()
const makeupsOf = (meeting: Meeting) => server.handle.db.selectFrom('makeups').selectAll().where('meeting_id', '=', meeting.id).execute()

function refused(r: PushResult): void {
  expect(r.status).toBe('rejected')
  expect(r.code).toBe('forbidden')
  expect(r.message).toMatch(/应到人员/)
  // The refusal shows nothing of a meeting the member may not read.
  expect(r.row ?? null).toBeNull()
}

describe('a member of another branch, not expected, writes nothing into the meeting', () => {
  it('a sign-in with a valid code (the meeting id is on any sign-in link) is refused', async () => {
    refused(await scan(jars.memberA, branchB, org.memberA.id))
    expect(await attendanceRow(branchB, org.memberA.id)).toBeUndefined()
    // The same through the app: scanned offline, refused at sync with the reason in the rejected list.
    const phone = await device(server, org.memberA.phone)
    const at = startedAt + 20 * 60_000
    const w = windowOf(at)
    await signInWithCode(
      phone.db,
      phone.user,
      signInLink('https://example.org', branchB.id, w, await signToken(branchB.signKey ?? '', branchB.id, w)),
      at + 500,
    )
    expect(await sync(phone)).toEqual({ ok: true })
    expect((await phone.db.rejected.toArray()).map((r) => r.message)).toEqual([
      '您不是这次会议的应到人员，也不属于召开会议的党支部，不能签到',
    ])
    expect(await phone.db.attendance.get(attendanceId(branchB.id, org.memberA.id))).toBeUndefined()
  })

  it('a leave request is refused', async () => {
    refused(await leave(jars.memberA, branchBFuture, org.memberA.id))
    expect(await attendanceRow(branchBFuture, org.memberA.id)).toBeUndefined()
  })

  it('补学 is refused', async () => {
    refused(await makeup(jars.memberA, branchB))
    expect(await makeupsOf(branchB)).toEqual([])
  })

  it("a branch secretary is a member of another branch's meeting like anyone else", async () => {
    refused(await scan(jars.secretary, branchB, org.secretaryA.id))
    refused(await makeup(jars.secretary, branchB))
    expect(await attendanceRow(branchB, org.secretaryA.id)).toBeUndefined()
  })

  it("the leadership's meetings take sign-ins, leave and 补学 only from those expected", async () => {
    refused(await scan(jars.memberB, leadership, org.memberB.id))
    refused(await makeup(jars.memberB, leadership))
    expect((await scan(jars.memberA, leadership, org.memberA.id)).status).toBe('applied')
  })
})

describe("members of the meeting's own branch", () => {
  it('one not expected signs in with the code as 列席, but neither asks for leave nor files 补学', async () => {
    expect((await scan(jars.memberA2, branchA, org.memberA2.id)).status).toBe('applied')
    expect(await attendanceRow(branchA, org.memberA2.id)).toMatchObject({ status: 'present', method: 'scan' })
    refused(await leave(jars.memberA2, branchAFuture, org.memberA2.id))
    refused(await makeup(jars.memberA2, branchAFuture))
  })

  it('one expected asks for leave and files 补学', async () => {
    expect((await leave(jars.memberA, branchAFuture, org.memberA.id)).status).toBe('applied')
    expect((await makeup(jars.memberA, branchAFuture)).status).toBe('applied')
    expect(await makeupsOf(branchAFuture)).toHaveLength(1)
  })
})

describe('marks by hand', () => {
  it('the organiser marks only people of the organisation', async () => {
    const nobody = newId()
    const r = await push(jars.secretary, 'attendance', attendanceId(branchA.id, nobody), {
      meetingId: branchA.id,
      memberId: nobody,
      status: 'absent',
    })
    expect(r).toMatchObject({ status: 'rejected', code: 'validation', message: '登记的人员不属于本组织' })
    expect(await attendanceRow(branchA, nobody)).toBeUndefined()
    expect(
      (
        await push(jars.secretary, 'attendance', attendanceId(branchA.id, org.memberA.id), {
          meetingId: branchA.id,
          memberId: org.memberA.id,
          status: 'absent',
        })
      ).status,
    ).toBe('applied')
  })
})
