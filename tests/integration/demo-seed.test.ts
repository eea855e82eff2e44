import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './harness.ts'
import { DEMO_ACCOUNTS, seedDemo } from '../../src/server/ops/demo-seed.ts'
import { compliance, DEFAULT_RULES, rulesFor, type MeetingType } from '../../src/core/domain/meetings.ts'
import { attendanceId } from '../../src/core/attendance-id.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'
import { NO_FLAGS, trainingYear } from '../../src/core/domain/training.ts'
import { firstMonthOf, sixMonthWatch } from '../../src/core/domain/lapse-watch.ts'
import { probationsDue } from '../../src/core/domain/probation.ts'
import { trainingRecordsOf, trainingSettingsOf } from '../../src/server/services/training/training-data.ts'

let server: TestServer
const today = new Date()

beforeAll(async () => {
  server = await startServer()
  await seedDemo(server.handle.db, today)
})
afterAll(() => server.close())

describe('demo organisation', () => {
  it("the demo secretary's branch owes nothing for any complete period since it started", async () => {
    const db = server.handle.db
    const secretary = await db
      .selectFrom('users')
      .select(['branch_id'])
      .where('phone', '=', DEMO_ACCOUNTS.secretary)
      .executeTakeFirstOrThrow()
    const branch = await db
      .selectFrom('branches')
      .select(['id', 'started_on'])
      .where('id', '=', secretary.branch_id ?? '')
      .executeTakeFirstOrThrow()
    const meetings = await db.selectFrom('meetings').selectAll().where('branch_id', '=', branch.id).execute()
    const held = meetings.map((m) => ({ type: m.type as MeetingType, startsAt: m.starts_at }))
    const rules = rulesFor(DEFAULT_RULES, branch.id)
    // Judged as the secretary would have seen it at the start of each month, and today.
    const [y, m] = chinaToday(today).split('-').map(Number) as [number, number]
    const moments = [today]
    for (let k = 0; k <= 12; k++) moments.push(new Date(Date.UTC(y, m - 1 - k, 2, 4)))
    for (const at of moments) {
      const overdue = compliance(rules, held, at, branch.started_on).filter((c) => c.status === 'overdue')
      expect(overdue.map((c) => `${at.toISOString()} ${c.message}`)).toEqual([])
    }
    for (const row of meetings) {
      expect(row.sign_key.length).toBeGreaterThanOrEqual(40)
      expect(row.seq).toBeGreaterThan(0)
      expect((JSON.parse(row.expected_ids) as string[]).length).toBeGreaterThan(0)
    }
    const attendance = await db.selectFrom('attendance').selectAll().where('branch_id', '=', branch.id).execute()
    for (const a of attendance) expect(a.id).toBe(attendanceId(a.meeting_id, a.member_id))
    // 梁国栋 has stopped coming (the six-month watch in the demo): her absences are apart.
    const away = await db.selectFrom('users').select('id').where('name', '=', '梁国栋').executeTakeFirstOrThrow()
    const statuses = attendance.filter((a) => a.member_id !== away.id).map((a) => a.status)
    expect(statuses.filter((s) => s === 'present').length).toBeGreaterThan(statuses.length / 2)
    expect(attendance.some((a) => a.status === 'leave' && a.leave_state === 'approved')).toBe(true)
    expect(statuses.filter((s) => s === 'absent')).toHaveLength(1)
  })

  it('the secretary has a pending leave request for an upcoming meeting and a 补学 to confirm', async () => {
    const db = server.handle.db
    const secretary = await db
      .selectFrom('users')
      .select(['branch_id'])
      .where('phone', '=', DEMO_ACCOUNTS.secretary)
      .executeTakeFirstOrThrow()
    const branchId = secretary.branch_id ?? ''
    const pending = await db
      .selectFrom('attendance')
      .innerJoin('meetings', 'meetings.id', 'attendance.meeting_id')
      .select(['meetings.starts_at', 'attendance.status', 'attendance.seq'])
      .where('attendance.branch_id', '=', branchId)
      .where('attendance.leave_state', '=', 'requested')
      .execute()
    expect(pending).toHaveLength(1)
    expect(Date.parse(pending[0]?.starts_at ?? '')).toBeGreaterThan(today.getTime())
    const makeups = await db.selectFrom('makeups').selectAll().where('branch_id', '=', branchId).where('confirmed_at', 'is', null).execute()
    expect(makeups).toHaveLength(1)
    const absent = await db
      .selectFrom('attendance')
      .select('status')
      .where('meeting_id', '=', makeups[0]?.meeting_id ?? '')
      .where('member_id', '=', makeups[0]?.member_id ?? '')
      .executeTakeFirst()
    expect(absent?.status).toBe('absent')
  })

  it('the branch keeps in touch with a household, visited, with a follow-up still open', async () => {
    const db = server.handle.db
    const secretary = await db
      .selectFrom('users')
      .select(['branch_id'])
      .where('phone', '=', DEMO_ACCOUNTS.secretary)
      .executeTakeFirstOrThrow()
    const branchId = secretary.branch_id ?? ''
    const households = await db.selectFrom('households').select('id').where('branch_id', '=', branchId).execute()
    expect(households.length).toBeGreaterThan(0)
    const visits = await db
      .selectFrom('visits')
      .select('id')
      .where('household_id', '=', households[0]?.id ?? '')
      .execute()
    expect(visits.length).toBeGreaterThan(0)
    const open = await db
      .selectFrom('followups')
      .select('id')
      .where('visit_id', '=', visits[0]?.id ?? '')
      .where('closed_at', 'is', null)
      .execute()
    expect(open).toHaveLength(1)
  })

  it('shows 学时 and the watch: about 26 of 32 for a member present all year, outside training to confirm, a probation ending, one member away', async () => {
    const db = server.handle.db
    const member = await db
      .selectFrom('users')
      .select(['id', 'org_id', 'branch_id'])
      .where('phone', '=', DEMO_ACCOUNTS.member)
      .executeTakeFirstOrThrow()
    const { settings } = await trainingSettingsOf(db, member.org_id)
    expect(settings).toEqual({ types: ['party_lesson', 'theme_day', 'study_group'], minutesPerHour: 45 })
    const records = await trainingRecordsOf(db, member.org_id, [member.id])
    const year = trainingYear(
      { memberId: member.id, year: Number(chinaToday(today).slice(0, 4)), settings, ...records, now: today },
      NO_FLAGS,
    )
    expect(year.required).toBe(32)
    expect(year.items.length).toBeGreaterThan(0)
    const pending = await db.selectFrom('outside_trainings').selectAll().where('member_id', '=', member.id).execute()
    expect(pending.map((t) => t.confirmed_at)).toEqual([null])

    const people = await db
      .selectFrom('users')
      .select(['id', 'name', 'status', 'joined_party_on', 'full_member_on'])
      .where('branch_id', '=', member.branch_id)
      .execute()
    const due = probationsDue(
      people.map((p) => ({ id: p.id, name: p.name, status: p.status, joinedPartyOn: p.joined_party_on, fullMemberOn: p.full_member_on })),
      chinaToday(today),
    )
    expect(due.map((d) => d.inDays)).toEqual([20])

    const meetings = (
      await db
        .selectFrom('meetings')
        .select(['id', 'type', 'starts_at', 'expected_ids'])
        .where('branch_id', '=', member.branch_id)
        .execute()
    ).map((m) => ({ id: m.id, type: m.type, startsAt: m.starts_at, expectedIds: JSON.parse(m.expected_ids) as string[] }))
    const attendance = await db
      .selectFrom('attendance')
      .select(['meeting_id', 'member_id', 'status'])
      .where('branch_id', '=', member.branch_id)
      .execute()
    const started = await db
      .selectFrom('branches')
      .select('started_on')
      .where('id', '=', member.branch_id ?? '')
      .executeTakeFirstOrThrow()
    const watch = sixMonthWatch({
      now: today,
      members: people.map((p) => ({ id: p.id, firstMonth: firstMonthOf(p.id, meetings, today, started.started_on) })),
      meetings,
      attendance: attendance.map((a) => ({ meetingId: a.meeting_id, memberId: a.member_id, status: a.status })),
      makeups: [],
    }).filter((w) => w.level !== 'none')
    // The administrator placed in the branch was never expected at its meetings: not judged.
    expect(watch.map((w) => [people.find((p) => p.id === w.memberId)?.name, w.noOrgLife, w.level])).toEqual([['梁国栋', 4, 'warning']])
  })
})

describe('demo 党费', () => {
  it('机关第一党支部 has its 收缴员, everyone declared, a year of receipts; the demo member owes this month', async () => {
    const db = server.handle.db
    const member = await db
      .selectFrom('users')
      .select(['id', 'branch_id'])
      .where('phone', '=', DEMO_ACCOUNTS.member)
      .executeTakeFirstOrThrow()
    const collector = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('phone', '=', DEMO_ACCOUNTS.collector)
      .executeTakeFirstOrThrow()
    const branch = await db
      .selectFrom('branches')
      .select('dues_collector_id')
      .where('id', '=', member.branch_id ?? '')
      .executeTakeFirstOrThrow()
    expect(branch.dues_collector_id).toBe(collector.id)
    const inBranch = await db
      .selectFrom('users')
      .select('id')
      .where('branch_id', '=', member.branch_id ?? '')
      .execute()
    const profiles = await db
      .selectFrom('dues_profiles')
      .select('member_id')
      .where('branch_id', '=', member.branch_id ?? '')
      .execute()
    // The administrator is placed in the branch too, and has declared nothing.
    expect(profiles).toHaveLength(inBranch.length - 1)
    const mine = await db.selectFrom('dues_payments').selectAll().where('member_id', '=', member.id).execute()
    const months = new Set(mine.flatMap((p) => JSON.parse(p.months) as string[]))
    const month = chinaToday(today).slice(0, 7)
    expect(months.has(month)).toBe(false)
    expect(months.size).toBeGreaterThanOrEqual(12)
    expect(mine.some((p) => p.kind === 'special')).toBe(true)
    // Receipts are never the 收缴员's own.
    const own = await db
      .selectFrom('dues_payments')
      .select('id')
      .where('member_id', '=', collector.id)
      .where('collector_id', '=', collector.id)
      .execute()
    expect(own).toHaveLength(0)
    // Every receipt has its own number, though the demo made them all within a second.
    const numbers = await db.selectFrom('dues_payments').select('receipt_no').execute()
    expect(new Set(numbers.map((n) => n.receipt_no)).size).toBe(numbers.length)
    const held = await db.selectFrom('dues_paid_months').select('payment_id').execute()
    expect(held.length).toBeGreaterThan(100)
  })
})
