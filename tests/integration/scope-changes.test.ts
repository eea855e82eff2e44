import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { createMeeting, markAttendance, updateMeeting } from '../../src/client/features/meetings/meetings.repo.ts'
import { writeRow } from '../../src/client/db/write.ts'
import type { Household } from '../../src/core/schemas/entities.ts'
import { freshPullDifferences } from './simulation/fresh-pull.ts'

/**
 * Rows leave a person's phones when they may no longer see them, and arrive complete when they
 * may: after every pull the device equals a fresh pull from an empty cursor (docs/sync.md,
 * "Scope changes"). Each case failed before writers bumped the scope version of those affected.
 */
let server: TestServer
let org: Org
let secretary: Device
let member: Device
let member2: Device
const sync = async (d: Device) => expect(await new SyncEngine(d.db, d.api, { pullLimit: 3 }).sync()).toEqual({ ok: true })
const invariant = async (...ds: Device[]) => {
  for (const d of ds) {
    await sync(d)
    expect(await freshPullDifferences(d.user.name, d.db, d.api)).toEqual([])
  }
}
const visitDraft = (householdId: string, memberIds: string[], text: string) => ({
  householdId,
  place: '',
  visitedAt: new Date().toISOString(),
  memberIds,
  findings: text,
  problems: '',
  location: null,
  photos: [],
  followups: [{ text: `${text} 的承诺事项`, ownerId: memberIds[0] ?? '', dueOn: '2026-12-31' }],
})
const household = async (memberIds: string[]) => {
  const id = await saveHousehold(secretary.db, secretary.user, null, {
    branchId: org.branchA,
    name: '王大娘',
    address: '西村3号',
    village: '西村',
    contact: '',
    situation: '低保户，腿脚不便',
    needs: '',
    memberIds,
  })
  await sync(secretary)
  return id
}
const relink = async (id: string, memberIds: string[]) => {
  await saveHousehold(secretary.db, secretary.user, id, { ...((await secretary.db.households.get(id)) as Household), memberIds })
  await sync(secretary)
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  secretary = await device(server, org.secretaryA.phone)
  member = await device(server, org.memberA.phone)
  member2 = await device(server, org.memberA2.phone)
  for (const d of [secretary, member, member2]) await sync(d)
})
afterAll(() => server.close())

describe('rows that leave a scope leave the phone', () => {
  it('a member unlinked from a household loses it and the visits they only saw through the link', async () => {
    const h = await household([org.memberA.id, org.memberA2.id])
    await sync(member)
    await recordVisit(member.db, member.user, visitDraft(h, [org.memberA.id], '张三走访'))
    await sync(member)
    await sync(member2)
    expect(await member2.db.households.get(h)).toBeDefined()
    expect((await member2.db.visits.toArray()).filter((v) => v.householdId === h)).toHaveLength(1)

    await relink(h, [org.memberA.id])
    await sync(member2)
    expect(await member2.db.households.get(h)).toBeUndefined()
    expect((await member2.db.visits.toArray()).filter((v) => v.householdId === h)).toHaveLength(0)
    await invariant(member, member2, secretary)
  })

  it('a member no longer expected at a meeting (a 谈心谈话 rescheduled with someone else) loses it', async () => {
    const meeting = await createMeeting(secretary.db, secretary.user, {
      branchId: org.branchA,
      type: 'heart_talk',
      topic: '谈心谈话',
      startsAt: new Date().toISOString(),
      durationMinutes: 60,
      place: '',
      organiserId: org.secretaryA.id,
      speaker: '',
      expectedIds: [org.memberA.id],
      agenda: '',
      minutes: '',
      talkWithId: org.memberA.id,
    })
    await sync(secretary)
    await sync(member)
    expect(await member.db.meetings.get(meeting.id)).toBeDefined()
    await updateMeeting(secretary.db, meeting.id, { expectedIds: [org.memberA2.id], talkWithId: org.memberA2.id })
    await sync(secretary)
    await sync(member)
    await sync(member2)
    expect(await member.db.meetings.get(meeting.id)).toBeUndefined()
    expect(await member2.db.meetings.get(meeting.id)).toBeDefined()
    await invariant(member, member2, secretary)
  })
})

describe('rows that enter a scope arrive complete', () => {
  it('a member linked to a household receives its earlier visits and follow-ups they may see', async () => {
    const h = await household([org.memberA.id])
    await sync(member)
    await recordVisit(member.db, member.user, visitDraft(h, [org.memberA.id], '早先的走访'))
    await sync(member)
    await sync(member2)
    expect(await member2.db.households.get(h)).toBeUndefined()

    await relink(h, [org.memberA.id, org.memberA2.id])
    await sync(member2)
    expect(await member2.db.households.get(h)).toBeDefined()
    expect((await member2.db.visits.toArray()).filter((v) => v.householdId === h).map((v) => v.findings)).toEqual(['早先的走访'])
    await invariant(member, member2, secretary)
  })

  it('a companion added to a visit receives its follow-ups; taken off again, loses them', async () => {
    const h = await household([org.memberA.id])
    await sync(member)
    const visitId = await recordVisit(member.db, member.user, visitDraft(h, [org.memberA.id], '同行前'))
    await sync(member)
    await sync(member2)
    expect(await member2.db.visits.get(visitId)).toBeUndefined()

    const v = await member.db.visits.get(visitId)
    if (!v) throw new Error('no visit')
    await writeRow(
      member.db,
      'visits',
      { ...v, memberIds: [org.memberA.id, org.memberA2.id] },
      { memberIds: [org.memberA.id, org.memberA2.id] },
    )
    await sync(member)
    await sync(member2)
    expect(await member2.db.visits.get(visitId)).toBeDefined()
    expect((await member2.db.followups.toArray()).filter((f) => f.visitId === visitId)).toHaveLength(1)
    await invariant(member2)

    const again = await member.db.visits.get(visitId)
    if (!again) throw new Error('no visit')
    await writeRow(member.db, 'visits', { ...again, memberIds: [org.memberA.id] }, { memberIds: [org.memberA.id] })
    await sync(member)
    await sync(member2)
    expect(await member2.db.visits.get(visitId)).toBeUndefined()
    expect((await member2.db.followups.toArray()).filter((f) => f.visitId === visitId)).toHaveLength(0)
    await invariant(member, member2, secretary)
  })

  it("a meeting moved to another branch takes its attendance to that branch's secretary", async () => {
    const adminFetch = await signIn(server, org.admin.phone)
    const post = (path: string, body: unknown) =>
      adminFetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post(`/api/admin/people/${org.memberB.id}/role`, { role: 'secretary' })).status).toBe(200)
    const secretaryB = await device(server, org.memberB.phone)
    const admin = await device(server, org.admin.phone)
    await sync(secretaryB)
    await sync(admin)

    const meeting = await createMeeting(admin.db, admin.user, {
      branchId: org.branchA,
      type: 'party_lesson',
      topic: '党课',
      startsAt: new Date().toISOString(),
      durationMinutes: 90,
      place: '',
      organiserId: org.admin.id,
      speaker: '',
      expectedIds: [org.memberA.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
    })
    await markAttendance(admin.db, admin.user, meeting, org.memberA.id, 'present')
    await sync(admin)
    await sync(secretary)
    expect((await secretary.db.attendance.toArray()).filter((a) => a.meetingId === meeting.id)).toHaveLength(1)

    await updateMeeting(admin.db, meeting.id, { branchId: org.branchB })
    await sync(admin)
    await sync(secretary)
    await sync(secretaryB)
    expect((await secretary.db.attendance.toArray()).filter((a) => a.meetingId === meeting.id)).toHaveLength(0)
    expect((await secretaryB.db.attendance.toArray()).filter((a) => a.meetingId === meeting.id)).toHaveLength(1)
    await invariant(secretary, secretaryB, admin, member)
  })
})

describe('property: the fresh-pull invariant under random scope changes', () => {
  it('after every pull, every phone holds exactly what a pull from an empty cursor gives it, plus its unsent changes', async () => {
    const s = await startServer()
    try {
      const o = await seedOrg(s.handle)
      const adminFetch = await signIn(s, o.admin.phone)
      const post = (path: string, body: unknown) =>
        adminFetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const sec = await device(s, o.secretaryA.phone)
      const a = await device(s, o.memberA.phone)
      const a2 = await device(s, o.memberA2.phone)
      const phones = [sec, a, a2]
      const syncOk = (d: Device) => new SyncEngine(d.db, d.api, { pullLimit: 4 }).sync()
      const h = await saveHousehold(sec.db, sec.user, null, {
        branchId: o.branchA,
        name: '张大伯',
        address: '',
        village: '南村',
        contact: '',
        situation: '',
        needs: '',
        memberIds: [o.memberA.id],
      })
      const meeting = await createMeeting(sec.db, sec.user, {
        branchId: o.branchA,
        type: 'branch_general',
        topic: '党员大会',
        startsAt: new Date().toISOString(),
        durationMinutes: 60,
        place: '',
        organiserId: o.secretaryA.id,
        speaker: '',
        expectedIds: [o.memberA.id, o.memberA2.id],
        agenda: '',
        minutes: '',
        talkWithId: null,
      })
      for (const d of phones) await syncOk(d)
      const step = fc.oneof(
        fc.record({ kind: fc.constant('link' as const), ids: fc.subarray([o.memberA.id, o.memberA2.id]) }),
        fc.record({ kind: fc.constant('expected' as const), ids: fc.subarray([o.memberA.id, o.memberA2.id, o.secretaryA.id]) }),
        fc.record({ kind: fc.constant('visit' as const), who: fc.constantFrom(1, 2) }),
        fc.record({ kind: fc.constant('companion' as const) }),
        fc.record({ kind: fc.constant('move' as const) }),
        fc.record({ kind: fc.constant('role' as const) }),
        fc.record({ kind: fc.constant('sync' as const), who: fc.constantFrom(0, 1, 2) }),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
          for (const st of steps) {
            if (st.kind === 'link') {
              const cur = await sec.db.households.get(h)
              if (cur) await saveHousehold(sec.db, sec.user, h, { ...cur, memberIds: st.ids })
            } else if (st.kind === 'expected') {
              if (await sec.db.meetings.get(meeting.id)) await updateMeeting(sec.db, meeting.id, { expectedIds: st.ids })
            } else if (st.kind === 'visit') {
              const d = phones[st.who] as Device
              const linked = (await d.db.households.get(h)) !== undefined
              await recordVisit(d.db, d.user, {
                ...visitDraft(h, [d.user.id], '随机走访'),
                ...(!linked && { householdId: null, place: '南村' }),
              })
            } else if (st.kind === 'companion') {
              const v = (await a.db.visits.toArray()).find((x) => !x.deleted && x.createdBy === o.memberA.id)
              if (v) {
                const memberIds = v.memberIds.includes(o.memberA2.id) ? [o.memberA.id] : [o.memberA.id, o.memberA2.id]
                await writeRow(a.db, 'visits', { ...v, memberIds }, { memberIds })
              }
            } else if (st.kind === 'move') {
              const row = await s.handle.db
                .selectFrom('users')
                .select('branch_id')
                .where('id', '=', o.memberA2.id)
                .executeTakeFirstOrThrow()
              expect(
                (
                  await post(`/api/admin/people/${o.memberA2.id}/move`, {
                    branchId: row.branch_id === o.branchA ? o.branchB : o.branchA,
                    date: '2026-11-01',
                  })
                ).status,
              ).toBe(200)
              a2.user = (await a2.api.me()).user
            } else if (st.kind === 'role') {
              const row = await s.handle.db.selectFrom('users').select('role').where('id', '=', o.memberA2.id).executeTakeFirstOrThrow()
              expect(
                (await post(`/api/admin/people/${o.memberA2.id}/role`, { role: row.role === 'member' ? 'secretary' : 'member' })).status,
              ).toBe(200)
              a2.user = (await a2.api.me()).user
            } else {
              const d = phones[st.who] as Device
              expect(await syncOk(d)).toEqual({ ok: true })
              expect(await freshPullDifferences(d.user.name, d.db, d.api)).toEqual([])
            }
          }
          for (const d of phones) {
            expect(await syncOk(d)).toEqual({ ok: true })
            expect(await freshPullDifferences(d.user.name, d.db, d.api)).toEqual([])
          }
        }),
        { numRuns: 15 },
      )
    } finally {
      await s.close()
    }
  }, 120_000)
})
