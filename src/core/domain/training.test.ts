import { describe, expect, it } from 'vitest'
import {
  DEFAULT_TRAINING_SETTINGS,
  hoursOf,
  inFourthQuarter,
  progressText,
  requirementsFor,
  shortList,
  trainingItems,
  trainingRulesOn,
  trainingYear,
  type OutsideTrainingRecord,
  type TrainingAttendance,
  type TrainingInput,
  type TrainingMakeup,
  type TrainingMeeting,
} from './training.ts'
import type { MeetingType } from './meetings.ts'

/** A moment given in China time (UTC+8). */
const china = (local: string) => new Date(`${local}+08:00`).toISOString()
const month = (n: number) => String(n).padStart(2, '0')

/**
 * A seeded year of one branch: a 党课 each quarter (120 minutes), a 主题党日 and a 支部委员会 each
 * month (not training by default), and the leadership's 中心组学习 each month (90 minutes).
 */
function seededYear(): {
  meetings: TrainingMeeting[]
  attendance: TrainingAttendance[]
  makeups: TrainingMakeup[]
  outside: OutsideTrainingRecord[]
} {
  const meetings: TrainingMeeting[] = []
  const add = (id: string, type: MeetingType, startsAt: string, durationMinutes: number) =>
    meetings.push({ id, type, topic: `${id}专题`, startsAt: china(startsAt), durationMinutes })
  for (const q of [1, 2, 3, 4]) add(`lesson-q${q}`, 'party_lesson', `2026-${month(q * 3)}-15T09:00:00`, 120)
  for (let m = 1; m <= 12; m++) {
    add(`theme-${m}`, 'theme_day', `2026-${month(m)}-05T14:00:00`, 60)
    add(`committee-${m}`, 'branch_committee', `2026-${month(m)}-08T14:00:00`, 60)
    add(`group-${m}`, 'study_group', `2026-${month(m)}-20T09:00:00`, 90)
  }
  // The year before and after: never counted in 2026.
  add('lesson-2025', 'party_lesson', '2025-12-31T23:00:00', 120)
  add('lesson-2027', 'party_lesson', '2027-01-01T00:30:00', 120)
  const present = (meetingId: string, memberId = 'm1', signedAt: string | null = null): TrainingAttendance => ({
    meetingId,
    memberId,
    status: 'present',
    method: signedAt ? 'scan' : 'manual',
    signedAt,
  })
  const attendance: TrainingAttendance[] = [
    present('lesson-q1'),
    { meetingId: 'lesson-q2', memberId: 'm1', status: 'absent', method: 'manual', signedAt: null },
    // Signed in by scan 30 minutes late: counted from the sign-in (90 of 120).
    present('lesson-q3', 'm1', china('2026-09-15T09:30:00')),
    // 5 minutes late is within the grace: the whole lesson.
    present('lesson-q4', 'm1', china('2026-12-15T09:05:00')),
    ...[1, 2, 3, 4, 5, 6].map((m) => present(`group-${m}`)),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((m) => [present(`theme-${m}`), present(`committee-${m}`)]),
    present('lesson-2025'),
    present('lesson-2027'),
    // Another member's attendance is not m1's.
    present('lesson-q2', 'm2'),
  ]
  const makeups: TrainingMakeup[] = [
    { meetingId: 'lesson-q2', memberId: 'm1', date: '2026-06-20', confirmedAt: china('2026-06-21T10:00:00') },
    // Not confirmed: not counted.
    { meetingId: 'group-7', memberId: 'm1', date: '2026-07-25', confirmedAt: null },
    // For a meeting attended: counted once.
    { meetingId: 'lesson-q1', memberId: 'm1', date: '2026-03-20', confirmedAt: china('2026-03-21T10:00:00') },
    // Withdrawn.
    { meetingId: 'group-8', memberId: 'm1', date: '2026-08-25', confirmedAt: china('2026-08-26T10:00:00'), deleted: true },
  ]
  const outside: OutsideTrainingRecord[] = [
    {
      id: 'o1',
      memberId: 'm1',
      title: '县委党校科级干部轮训',
      organiser: '县委党校',
      endOn: '2026-05-30',
      minutes: 600,
      confirmedAt: china('2026-06-01T09:00:00'),
    },
    { id: 'o2', memberId: 'm1', title: '网络培训', organiser: '县直机关工委', endOn: '2026-07-30', minutes: 300, confirmedAt: null },
    {
      id: 'o3',
      memberId: 'm1',
      title: '去年的轮训',
      organiser: '县委党校',
      endOn: '2025-12-30',
      minutes: 600,
      confirmedAt: china('2026-01-02T09:00:00'),
    },
  ]
  return { meetings, attendance, makeups, outside }
}

const input = (over: Partial<TrainingInput> = {}): TrainingInput => ({
  memberId: 'm1',
  year: 2026,
  settings: DEFAULT_TRAINING_SETTINGS,
  ...seededYear(),
  ...over,
})

describe('学时 against a seeded year of meetings and 补学', () => {
  it('counts attended training meetings, confirmed 补学 and confirmed outside training, nothing else', () => {
    const items = trainingItems(input())
    expect(items.map((i) => [i.source, i.refId, i.minutes])).toEqual([
      ['meeting', 'group-1', 90],
      ['meeting', 'group-2', 90],
      ['meeting', 'lesson-q1', 120],
      ['meeting', 'group-3', 90],
      ['meeting', 'group-4', 90],
      ['meeting', 'group-5', 90],
      ['outside', 'o1', 600],
      ['meeting', 'group-6', 90],
      ['makeup', 'lesson-q2', 120],
      ['meeting', 'lesson-q3', 90],
      ['meeting', 'lesson-q4', 120],
    ])
    expect(items.find((i) => i.refId === 'lesson-q3')?.detail).toContain('迟到')
    // 450 (党课) + 540 (中心组) + 600 (党校) minutes.
    expect(trainingYear(input(), { cadre: false, exempt: false }).minutes).toBe(1590)
  })

  it('counts the meeting types the organisation marks, and never a 谈心谈话 or 支部委员会', () => {
    const withThemeDays = trainingYear(
      input({ settings: { types: ['party_lesson', 'theme_day', 'branch_committee'], minutesPerHour: 60 } }),
      {
        cadre: false,
        exempt: false,
      },
    )
    // 450 (党课) + 12 × 60 (主题党日) + 600 (党校); the committee is never training.
    expect(withThemeDays.minutes).toBe(450 + 720 + 600)
  })

  it('turns minutes into 学时 by the hour length, rounded down to one decimal', () => {
    expect(hoursOf(1590, 45)).toBe(35.3)
    expect(hoursOf(1590, 60)).toBe(26.5)
    expect(hoursOf(44, 45)).toBe(0.9)
    expect(hoursOf(45 * 32 - 1, 45)).toBe(31.9)
    expect(hoursOf(45 * 32, 45)).toBe(32)
    const at45 = trainingYear(input(), { cadre: false, exempt: false })
    expect([at45.hours, at45.required, at45.short]).toEqual([35.3, 32, 0])
    expect(progressText(at45)).toBe('今年 35.3 / 32 学时')
    const at60 = trainingYear(input({ settings: { ...DEFAULT_TRAINING_SETTINGS, minutesPerHour: 60 } }), { cadre: false, exempt: false })
    expect([at60.hours, at60.required, at60.short]).toEqual([26.5, 32, 5.5])
    expect(progressText(at60)).toBe('今年 26.5 / 32 学时')
  })

  it('asks 90 学时 of a cadre of 乡科级 and below, with the rule cited', () => {
    const y = trainingYear(input(), { cadre: true, exempt: false })
    expect(y.required).toBe(90)
    expect(y.short).toBe(54.7)
    expect(y.requirements.map((r) => r.hours)).toEqual([32, 90])
    expect(y.requirements[1]?.cite).toContain('干部教育培训工作条例')
    expect(y.requirements[0]?.cite).toContain('第二十条')
  })

  it('flags the old, frail or seriously ill: counted, never short, never listed', () => {
    const y = trainingYear(input({ settings: { ...DEFAULT_TRAINING_SETTINGS, minutesPerHour: 60 } }), { cadre: true, exempt: true })
    expect([y.required, y.short, y.exempt]).toEqual([null, 0, true])
    expect(progressText(y)).toBe('今年 26.5 学时（不作硬性要求）')
    expect(requirementsFor({ cadre: false, exempt: true }, 2026)).toEqual([])
  })

  it('lists who is short by name, never by hours, and shows it only in the fourth quarter', () => {
    const year = (hours: number, exempt = false) => ({
      ...trainingYear(input({ memberId: 'nobody' }), { cadre: false, exempt }),
      hours,
      short: exempt ? 0 : Math.max(0, 32 - hours),
    })
    const list = shortList([
      { name: '王五', year: year(2) },
      { name: '李四', year: year(31) },
      { name: '张三', year: year(40) },
      { name: '赵六', year: year(0, true) },
      { name: '陈七', year: year(10) },
    ])
    expect(list.map((p) => p.name)).toEqual(['陈七', '李四', '王五'])
    expect(inFourthQuarter(new Date(china('2026-09-30T23:59:00')))).toBe(false)
    expect(inFourthQuarter(new Date(china('2026-10-01T00:00:00')))).toBe(true)
  })

  it('keeps the rules as versioned data: the version in force on a date', () => {
    const rules = [
      { ...trainingRulesOn('2026-01-01'), version: 1, since: '2019-05-06' },
      { ...trainingRulesOn('2026-01-01'), version: 2, since: '2027-01-01', memberHours: 40 },
    ]
    expect(requirementsFor({ cadre: false, exempt: false }, 2026, rules)[0]?.hours).toBe(32)
    expect(requirementsFor({ cadre: false, exempt: false }, 2027, rules)[0]?.hours).toBe(40)
  })

  it('counts only meetings that have started', () => {
    const y = trainingItems(input({ now: new Date(china('2026-12-01T00:00:00')) }))
    expect(y.some((i) => i.refId === 'lesson-q4')).toBe(false)
  })
})
