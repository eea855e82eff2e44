import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PREFS,
  dueReminders,
  inAppNotices,
  inQuietHours,
  lastPoliticalBirthday,
  maySendNow,
  weekAhead,
  type ReminderPerson,
  type ReminderPrefs,
} from './reminders.ts'

const person = (
  id: string,
  joinedPartyOn: string | null,
  role: ReminderPerson['role'] = 'member',
  branchId: string | null = 'b1',
): ReminderPerson => ({
  id,
  name: `党员${id}`,
  role,
  branchId,
  joinedPartyOn,
})
/** A moment given in China time (UTC+8). */
const china = (local: string) => new Date(`${local}+08:00`)

describe('quiet hours', () => {
  it('spans midnight', () => {
    expect(inQuietHours(23 * 60, '22:00', '08:00')).toBe(true)
    expect(inQuietHours(7 * 60 + 59, '22:00', '08:00')).toBe(true)
    expect(inQuietHours(8 * 60, '22:00', '08:00')).toBe(false)
    expect(inQuietHours(12 * 60, '22:00', '08:00')).toBe(false)
  })
  it('within a day, and none when start equals end', () => {
    expect(inQuietHours(12 * 60 + 30, '12:00', '14:00')).toBe(true)
    expect(inQuietHours(14 * 60, '12:00', '14:00')).toBe(false)
    expect(inQuietHours(3 * 60, '00:00', '00:00')).toBe(false)
  })
  it('sends from 09:00 China time, never in quiet hours, whatever the server clock zone', () => {
    expect(maySendNow(china('2026-11-28T08:59:00'), DEFAULT_PREFS)).toBe(false)
    expect(maySendNow(china('2026-11-28T09:00:00'), DEFAULT_PREFS)).toBe(true)
    expect(maySendNow(china('2026-11-28T09:30:00'), { quietStart: '09:00', quietEnd: '10:00' })).toBe(false)
    expect(maySendNow(china('2026-11-28T10:00:00'), { quietStart: '09:00', quietEnd: '10:00' })).toBe(true)
    expect(maySendNow(china('2026-11-28T22:30:00'), DEFAULT_PREFS)).toBe(false)
  })
})

describe('dueReminders', () => {
  const base = { prefs: new Map<string, ReminderPrefs>(), studiedThisMonth: new Set<string>() }

  it('greets exactly the members whose political birthday is the China date', () => {
    const people = [
      person('a', '1990-11-28'),
      person('b', '1990-11-27'),
      person('c', null),
      person('d', '2026-11-28'),
      person('e', '2000-11-29'),
    ]
    // 2026-11-28 00:30 in China is still 11-27 in UTC: the China date decides.
    const due = dueReminders({ ...base, now: china('2026-11-28T00:30:00'), people })
    expect(due.filter((r) => r.kind === 'birthday').map((r) => [r.userId, r.title])).toEqual([['a', '今天是您的第36个政治生日']])
  })

  it('29 February members are greeted on 28 February in a common year, on the 29th in a leap year', () => {
    const people = [person('leap', '2000-02-29')]
    expect(dueReminders({ ...base, now: china('2027-02-28T10:00:00'), people }).map((r) => r.title)).toEqual(['今天是您的第27个政治生日'])
    expect(dueReminders({ ...base, now: china('2028-02-28T10:00:00'), people })).toEqual([])
    expect(dueReminders({ ...base, now: china('2028-02-29T10:00:00'), people }).map((r) => r.key)).toEqual(['2028-02-29'])
  })

  it('respects a member who turned the greeting off', () => {
    const prefs = new Map([['a', { ...DEFAULT_PREFS, birthday: false }]])
    expect(dueReminders({ ...base, prefs, now: china('2026-11-28T10:00:00'), people: [person('a', '1990-11-28')] })).toEqual([])
  })

  it('on Mondays tells secretaries of the next seven days in their own branch only', () => {
    // 2026-11-30 is a Monday.
    const people = [
      person('sec', '1980-01-01', 'secretary', 'b1'),
      person('m1', '1999-12-01', 'member', 'b1'), // Tue, +1
      person('m2', '1999-12-07', 'member', 'b1'), // next Mon, +7
      person('m3', '1999-12-08', 'member', 'b1'), // +8: next week's list
      person('m4', '1999-11-30', 'member', 'b1'), // today: was in last week's list
      person('x1', '1999-12-02', 'member', 'b2'), // other branch
      person('m5', '1999-12-03', 'member', 'b1'),
    ]
    const due = dueReminders({ ...base, now: china('2026-11-30T09:00:00'), people }).filter((r) => r.kind === 'branchWeekAhead')
    expect(due.map((r) => r.userId)).toEqual(['sec'])
    expect(due[0]?.title).toBe('未来七天有3位党员过政治生日')
    expect(due[0]?.body).toBe('党员m1（12月1日，第27个）、党员m5（12月3日，第27个）、党员m2（12月7日，第27个）')
    // Tuesday: no list.
    expect(dueReminders({ ...base, now: china('2026-12-01T09:00:00'), people }).filter((r) => r.kind === 'branchWeekAhead')).toEqual([])
  })

  it('on Mondays tells an administrator of the whole organisation, whatever their own branch', () => {
    const people = [
      person('adm', null, 'admin', null),
      person('m1', '1999-12-01', 'member', 'b1'),
      person('x1', '1999-12-02', 'member', 'b2'),
    ]
    const due = dueReminders({ ...base, now: china('2026-11-30T09:00:00'), people }).filter((r) => r.kind === 'branchWeekAhead')
    expect(due.map((r) => [r.userId, r.title])).toEqual([['adm', '未来七天有2位党员过政治生日']])
  })

  it('every day of a year is announced exactly once by the Monday lists', () => {
    const members = Array.from({ length: 366 }, (_, i) => {
      const d = new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10)
      return person(`p${i}`, d)
    })
    const seen = new Map<string, number>()
    for (let day = 0; day < 400; day++) {
      const now = new Date(Date.UTC(2026, 0, 5, 2) + day * 86_400_000) // from Monday 2026-01-05, 10:00 China
      if (now.getUTCDay() !== 1) continue
      const today = now.toISOString().slice(0, 10)
      for (const c of weekAhead(members, today)) seen.set(`${c.date} ${c.name}`, (seen.get(`${c.date} ${c.name}`) ?? 0) + 1)
    }
    const year2026 = [...seen.entries()].filter(([k]) => k >= '2026-01-06' && k <= '2026-12-31~')
    // 360 days from 6 January, and the 29 February member on the 28th.
    expect(year2026.length).toBe(361)
    expect(year2026.every(([, n]) => n === 1)).toBe(true)
  })

  it('study gap: opt-in, from the 20th, once per month, not if anything was recorded', () => {
    const people = [person('a', null), person('b', null), person('c', null)]
    const prefs = new Map([
      ['a', { ...DEFAULT_PREFS, studyGap: true }],
      ['b', { ...DEFAULT_PREFS, studyGap: true }],
    ])
    const studied = new Set(['b'])
    expect(dueReminders({ prefs, studiedThisMonth: studied, now: china('2026-11-19T10:00:00'), people })).toEqual([])
    const due = dueReminders({ prefs, studiedThisMonth: studied, now: china('2026-11-20T10:00:00'), people })
    expect(due.map((r) => [r.userId, r.kind, r.key])).toEqual([['a', 'studyGap', '2026-11']])
  })
})

describe('lastPoliticalBirthday', () => {
  it('finds this year or last year', () => {
    expect(lastPoliticalBirthday('1990-11-28', '2026-11-28')).toEqual({ date: '2026-11-28', nth: 36 })
    expect(lastPoliticalBirthday('1990-12-01', '2026-11-28')).toEqual({ date: '2025-12-01', nth: 35 })
    expect(lastPoliticalBirthday('2026-01-01', '2026-11-28')).toBeNull()
    expect(lastPoliticalBirthday(null, '2026-11-28')).toBeNull()
  })
})

describe('inAppNotices', () => {
  const me = person('me', '1990-11-25')
  const base = { me, branch: [], prefs: DEFAULT_PREFS, oldestUnsyncedAt: null, studiedThisMonth: true }

  it('tells of a political birthday missed since the app was last opened, not of one seen', () => {
    const now = china('2026-11-28T10:00:00')
    expect(inAppNotices({ ...base, now, lastOpenedOn: '2026-11-20' }).map((n) => n.title)).toEqual(['11月25日是您的第36个政治生日'])
    expect(inAppNotices({ ...base, now, lastOpenedOn: '2026-11-25' })).toEqual([])
    expect(inAppNotices({ ...base, now, lastOpenedOn: null })).toEqual([])
  })

  it('warns of changes unsynced for more than 24 hours, once a day', () => {
    const now = china('2026-11-28T10:00:00')
    const fresh = inAppNotices({ ...base, now, lastOpenedOn: '2026-11-28', oldestUnsyncedAt: china('2026-11-27T11:00:00').toISOString() })
    expect(fresh).toEqual([])
    const old = inAppNotices({ ...base, now, lastOpenedOn: '2026-11-28', oldestUnsyncedAt: china('2026-11-27T09:00:00').toISOString() })
    expect(old.map((n) => n.key)).toEqual(['unsynced:2026-11-28'])
    expect(
      inAppNotices({
        ...base,
        prefs: { ...DEFAULT_PREFS, unsynced: false },
        now,
        lastOpenedOn: '2026-11-28',
        oldestUnsyncedAt: '2026-11-01T00:00:00Z',
      }),
    ).toEqual([])
  })

  it('gives a secretary the week ahead under one key per week', () => {
    const sec = person('sec', null, 'secretary')
    const branch = [person('m1', '2000-11-29'), person('m2', '2000-12-10')]
    const sat = inAppNotices({ ...base, me: sec, branch, now: china('2026-11-28T10:00:00'), lastOpenedOn: null })
    const sun = inAppNotices({ ...base, me: sec, branch, now: china('2026-11-29T10:00:00'), lastOpenedOn: null })
    expect(sat.map((n) => [n.key, n.title])).toEqual([['week:2026-11-23', '未来七天有1位党员过政治生日']])
    expect(sun[0]?.key).toBe('week:2026-11-23')
    expect(inAppNotices({ ...base, branch, now: china('2026-11-28T10:00:00'), lastOpenedOn: null })).toEqual([])
  })
})

describe('meeting tomorrow', () => {
  const meeting = { id: 'm1', topic: '支部委员会', startsAt: '2026-11-29T06:30:00.000Z', place: '三楼会议室', expectedIds: ['a', 'b'] }
  it('reminds the expected people the day before (China date), once per meeting, unless turned off', () => {
    const people = [person('a', null), person('b', null), person('c', null)]
    const prefs = new Map([['b', { ...DEFAULT_PREFS, meetingTomorrow: false }]])
    const due = dueReminders({ now: china('2026-11-28T09:00:00'), people, prefs, studiedThisMonth: new Set(), meetings: [meeting] }).filter(
      (r) => r.kind === 'meetingTomorrow',
    )
    expect(due.map((r) => [r.userId, r.key, r.title, r.url])).toEqual([['a', 'm1', '明天 14:30：支部委员会', '/meetings/m1']])
    expect(
      dueReminders({ now: china('2026-11-29T09:00:00'), people, prefs, studiedThisMonth: new Set(), meetings: [meeting] }).filter(
        (r) => r.kind === 'meetingTomorrow',
      ),
    ).toEqual([])
  })
  it('is shown once in the app the day before', () => {
    const notices = inAppNotices({
      now: china('2026-11-28T20:00:00'),
      me: person('a', null),
      branch: [],
      prefs: DEFAULT_PREFS,
      lastOpenedOn: '2026-11-28',
      oldestUnsyncedAt: null,
      studiedThisMonth: true,
      meetings: [meeting],
    })
    expect(notices.map((n) => n.key)).toEqual(['meeting:m1'])
  })
})
