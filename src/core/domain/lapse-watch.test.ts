import { describe, expect, it } from 'vitest'
import {
  firstMonthOf,
  levelOf,
  monthsInARow,
  orgLifeMonths,
  sixMonthWatch,
  type LifeAttendance,
  type LifeMakeup,
  type LifeMeeting,
} from './lapse-watch.ts'
import type { MeetingType } from './meetings.ts'

const china = (local: string) => new Date(`${local}+08:00`)
const month = (n: number) => String(n).padStart(2, '0')

/** A seeded year: a 主题党日 on the 5th of each month, a 谈心谈话 on the 10th. */
const meetings: LifeMeeting[] = []
for (let m = 1; m <= 12; m++) {
  meetings.push({ id: `theme-${m}`, type: 'theme_day', startsAt: china(`2026-${month(m)}-05T14:00:00`).toISOString() })
  meetings.push({
    id: `talk-${m}`,
    type: 'heart_talk' satisfies MeetingType,
    startsAt: china(`2026-${month(m)}-10T14:00:00`).toISOString(),
  })
}
const present = (m: number, memberId = 'a'): LifeAttendance => ({ meetingId: `theme-${m}`, memberId, status: 'present' })

describe('the six-month watch', () => {
  // Member a came to every 主题党日 until May, then only to 谈心谈话 and on leave.
  const attendance: LifeAttendance[] = [
    ...[1, 2, 3, 4, 5].map((m) => present(m)),
    ...[6, 7, 8, 9, 10, 11, 12].map((m) => ({ meetingId: `talk-${m}`, memberId: 'a', status: 'present' as const })),
    { meetingId: 'theme-6', memberId: 'a', status: 'leave' },
  ]
  const makeups: LifeMakeup[] = []
  const watch = (now: string, over: Partial<Parameters<typeof sixMonthWatch>[0]> = {}) =>
    sixMonthWatch({ now: china(now), members: [{ id: 'a', firstMonth: '2026-01' }], meetings, attendance, makeups, ...over })[0]

  it('counts whole months in a row since the last organisational life; a 谈心谈话 or leave is not it', () => {
    expect([...orgLifeMonths('a', meetings, attendance, makeups)].sort()).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'])
    expect(watch('2026-08-31T23:00:00')?.noOrgLife).toBe(2)
  })

  it('warns from 3 months and alerts, with the rule cited, at 6', () => {
    const two = watch('2026-08-31T23:00:00')
    expect([two?.level, two?.message]).toEqual(['none', ''])
    const three = watch('2026-09-01T09:00:00')
    expect([three?.noOrgLife, three?.level]).toEqual([3, 'warning'])
    expect(three?.message).toBe('连续3个月未参加组织生活，请及时了解情况')
    const five = watch('2026-11-30T09:00:00')
    expect([five?.noOrgLife, five?.level]).toEqual([5, 'warning'])
    const six = watch('2026-12-01T09:00:00')
    expect([six?.noOrgLife, six?.level]).toEqual([6, 'alert'])
    expect(six?.message).toContain('第三十一条第六项')
    expect(six?.message).toContain('连续6个月未参加组织生活')
    expect([levelOf(2), levelOf(3), levelOf(5), levelOf(6), levelOf(9)]).toEqual(['none', 'warning', 'warning', 'alert', 'alert'])
  })

  it('a confirmed 补学 is organisational life in its month; an unconfirmed one is not', () => {
    const unconfirmed = watch('2026-12-01T09:00:00', { makeups: [{ memberId: 'a', date: '2026-09-12', confirmedAt: null }] })
    expect(unconfirmed?.noOrgLife).toBe(6)
    const confirmed = watch('2026-12-01T09:00:00', {
      makeups: [{ memberId: 'a', date: '2026-09-12', confirmedAt: '2026-09-13T00:00:00Z' }],
    })
    expect(confirmed?.noOrgLife).toBe(2)
  })

  it('organisational life this month ends the run; months before the member joined are not counted', () => {
    expect(watch('2026-12-20T09:00:00', { attendance: [...attendance, present(12)] })?.noOrgLife).toBe(0)
    const newcomer = sixMonthWatch({
      now: china('2026-12-01T09:00:00'),
      members: [{ id: 'b', firstMonth: '2026-10' }],
      meetings,
      attendance,
      makeups,
    })[0]
    expect(newcomer?.noOrgLife).toBe(2)
    expect(monthsInARow(new Set(), china('2026-01-15T09:00:00'), '2025-07')).toBe(6)
    // When nobody knows when the member started, nothing is judged (and nothing loops back for ever).
    expect(monthsInARow(new Set(), china('2026-01-15T09:00:00'), '')).toBe(0)
    expect(monthsInARow(new Set(), china('2026-01-15T09:00:00'), 'x')).toBe(0)
  })

  it("a member's first month is the first meeting they were expected at, never before the organisation started", () => {
    const expected = [
      { startsAt: china('2026-03-05T14:00:00').toISOString(), expectedIds: ['a', 'b'] },
      { startsAt: china('2026-01-05T14:00:00').toISOString(), expectedIds: ['a'] },
      { startsAt: china('2026-12-05T14:00:00').toISOString(), expectedIds: ['c'] },
    ]
    const now = china('2026-11-01T09:00:00')
    expect(firstMonthOf('a', expected, now)).toBe('2026-01')
    expect(firstMonthOf('b', expected, now)).toBe('2026-03')
    expect(firstMonthOf('a', expected, now, '2026-02-10')).toBe('2026-02')
    // Expected only at a meeting still to come, or nowhere: not judged yet.
    expect(firstMonthOf('c', expected, now)).toBe('')
    expect(firstMonthOf('d', expected, now)).toBe('')
  })

  it('months unpaid come from the dues records when there are any, and are not shown without', () => {
    expect(watch('2026-12-01T09:00:00')?.unpaid).toBeNull()
    const paid = new Set(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'])
    const row = watch('2026-12-01T09:00:00', { attendance: [...attendance, present(11)], paidMonths: () => paid })
    expect([row?.noOrgLife, row?.unpaid, row?.level]).toEqual([0, 3, 'warning'])
    expect(row?.message).toBe('连续3个月未交纳党费，请及时了解情况')
  })
})
