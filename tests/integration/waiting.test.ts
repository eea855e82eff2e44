import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { device, seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { cancelMeeting, createMeeting, signInWithCode } from '../../src/client/features/meetings/meetings.repo.ts'
import { createStudy } from '../../src/client/features/study/study.repo.ts'
import { signInLink, signToken, windowOf } from '../../src/core/domain/sign-in-token.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'

/**
 * A sign-in that reaches the server before its meeting (the member's phone finds a signal before
 * the organiser's) waits on the phone and is applied once the meeting arrives; it is refused
 * only if the meeting is cancelled. Nothing behind it waits.
 */
let server: TestServer
let org: Org
let secretary: Device
let member: Device
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()
const scheduled = () =>
  createMeeting(secretary.db, secretary.user, {
    branchId: org.branchA,
    type: 'branch_general',
    topic: '村头开的党员大会',
    startsAt: new Date().toISOString(),
    durationMinutes: 60,
    place: '村委会',
    organiserId: org.secretaryA.id,
    speaker: '',
    expectedIds: [org.memberA.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
  })
const scan = async (m: Meeting) => {
  const w = windowOf(Date.now())
  await signInWithCode(member.db, member.user, signInLink('https://app', m.id, w, await signToken(m.signKey ?? '', m.id, w)))
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  secretary = await device(server, org.secretaryA.phone)
  member = await device(server, org.memberA.phone)
})
afterAll(() => server.close())

describe('a sign-in that arrives before its meeting', () => {
  it('waits on the phone, without blocking what comes after it, and is applied when the meeting arrives', async () => {
    const meeting = await scheduled() // on the organiser's phone, not yet synced
    await scan(meeting)
    await createStudy(member.db, member.user, {
      kind: 'self_study',
      title: '签到之后记的学习',
      date: '2026-11-20',
      minutes: 20,
      notes: '',
      sourceUrl: '',
    })
    expect(await sync(member)).toEqual({ ok: true })
    expect((await member.db.outbox.toArray()).map((m) => m.table)).toEqual(['attendance'])
    expect(await member.db.rejected.count()).toBe(0)
    expect(await server.handle.db.selectFrom('study_records').select('id').where('title', '=', '签到之后记的学习').execute()).toHaveLength(
      1,
    )

    expect(await sync(secretary)).toEqual({ ok: true })
    expect(await sync(member)).toEqual({ ok: true })
    expect(await member.db.outbox.count()).toBe(0)
    const row = await server.handle.db.selectFrom('attendance').selectAll().where('meeting_id', '=', meeting.id).executeTakeFirst()
    expect(row).toMatchObject({ member_id: org.memberA.id, status: 'present', method: 'scan' })
    expect(await member.db.attendance.get(row?.id ?? '')).toMatchObject({ status: 'present', method: 'scan' })
  })

  it('is refused, visibly, when the meeting is cancelled', async () => {
    const meeting = await scheduled()
    await scan(meeting)
    expect(await sync(member)).toEqual({ ok: true })
    expect(await member.db.outbox.count()).toBe(1)
    await sync(secretary)
    await cancelMeeting(secretary.db, meeting.id)
    await sync(secretary)
    expect(await sync(member)).toEqual({ ok: true })
    expect(await member.db.outbox.count()).toBe(0)
    expect((await member.db.rejected.toArray()).map((r) => r.message)).toEqual(['会议已取消'])
  })
})
