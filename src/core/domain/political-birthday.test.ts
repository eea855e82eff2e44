import { describe, expect, it } from 'vitest'
import {
  anniversaryIn,
  birthdaysByMonth,
  checkPartyDates,
  nextPoliticalBirthday,
  partyStanding,
  politicalBirthdayToday,
  upcomingPoliticalBirthdays,
} from './political-birthday.ts'
import { chinaToday } from './china-time.ts'

describe('political birthday', () => {
  it('is the anniversary of 入党日期', () => {
    expect(politicalBirthdayToday('2006-07-01', '2026-07-01')).toBe(20)
    expect(politicalBirthdayToday('2006-07-01', '2026-07-02')).toBeNull()
    expect(politicalBirthdayToday('2026-07-01', '2026-07-01')).toBeNull() // the day itself is not an anniversary
    expect(politicalBirthdayToday(null, '2026-07-01')).toBeNull()
  })

  it('falls on 28 February in common years for a 29 February admission', () => {
    expect(anniversaryIn('2004-02-29', 2026)).toBe('2026-02-28')
    expect(anniversaryIn('2004-02-29', 2028)).toBe('2028-02-29')
    expect(politicalBirthdayToday('2004-02-29', '2026-02-28')).toBe(22)
    expect(politicalBirthdayToday('2004-02-29', '2028-02-28')).toBeNull()
    expect(politicalBirthdayToday('2004-02-29', '2028-02-29')).toBe(24)
    expect(anniversaryIn('2004-02-29', 2100)).toBe('2100-02-28') // 2100 is not a leap year
  })

  it('finds the next one across the year boundary', () => {
    expect(nextPoliticalBirthday('1998-01-05', '2026-12-20')).toEqual({ date: '2027-01-05', nth: 29 })
    expect(nextPoliticalBirthday('1998-12-20', '2026-12-20')).toEqual({ date: '2026-12-20', nth: 28 })
    expect(nextPoliticalBirthday('2026-03-01', '2026-11-28')).toEqual({ date: '2027-03-01', nth: 1 })
    expect(nextPoliticalBirthday(null, '2026-11-28')).toBeNull()
  })

  it('uses the date in China whatever the device time zone (UTC-8 and UTC+14 devices alike)', () => {
    // 2026-07-01 00:30 in Beijing is 2026-06-30 16:30 UTC: a device in UTC-8 still says 30 June, one in UTC+14 says 1 July.
    const instant = new Date('2026-06-30T16:30:00Z')
    expect(chinaToday(instant)).toBe('2026-07-01')
    expect(politicalBirthdayToday('2006-07-01', chinaToday(instant))).toBe(20)
    expect(chinaToday(new Date('2026-06-30T15:59:00Z'))).toBe('2026-06-30')
  })

  it('lists the coming 30 days, soonest first', () => {
    const members = [
      { name: '甲', joinedPartyOn: '2000-12-10' },
      { name: '乙', joinedPartyOn: '2010-11-28' },
      { name: '丙', joinedPartyOn: '2015-01-20' },
      { name: '丁', joinedPartyOn: null },
    ]
    expect(upcomingPoliticalBirthdays(members, '2026-11-28').map((e) => [e.member.name, e.inDays, e.nth])).toEqual([
      ['乙', 0, 16],
      ['甲', 12, 26],
    ])
  })
})

describe('党龄 (counts from 转正日期)', () => {
  it('counts whole years of full membership', () => {
    expect(partyStanding('2007-07-01', '2026-06-30')).toBe(18)
    expect(partyStanding('2007-07-01', '2026-07-01')).toBe(19)
    expect(partyStanding('2004-02-29', '2026-02-28')).toBe(22)
    expect(partyStanding(null, '2026-07-01')).toBeNull()
    expect(partyStanding('2030-01-01', '2026-07-01')).toBeNull()
  })

  it('validates the two dates', () => {
    expect(checkPartyDates('2006-07-01', '2007-07-01', '2026-11-28')).toBeNull()
    expect(checkPartyDates('2006-07-01', '2006-07-01', '2026-11-28')).toBe('转正日期应晚于入党日期')
    expect(checkPartyDates('2027-01-01', null, '2026-11-28')).toBe('入党日期不能晚于今天')
    expect(checkPartyDates(null, '2007-07-01', '2026-11-28')).toBe('请先填写入党日期')
  })
})

describe('birthdaysByMonth', () => {
  it('groups the next twelve months, this month first (earlier days of it included), across the year end', () => {
    const people = [
      { id: 'a', joinedPartyOn: '2000-11-02' },
      { id: 'b', joinedPartyOn: '2001-12-31' },
      { id: 'c', joinedPartyOn: '2004-02-29' },
      { id: 'd', joinedPartyOn: '2026-11-01' },
      { id: 'e', joinedPartyOn: null },
    ]
    const months = birthdaysByMonth(people, '2026-11-28')
    expect(months.map((m) => m.month)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
      '2027-06',
      '2027-07',
      '2027-08',
      '2027-09',
      '2027-10',
    ])
    expect(months[0]?.entries.map((e) => [e.member.id, e.date, e.nth])).toEqual([['a', '2026-11-02', 26]])
    expect(months[1]?.entries.map((e) => [e.member.id, e.nth])).toEqual([['b', 25]])
    expect(months[3]?.entries.map((e) => [e.member.id, e.date])).toEqual([['c', '2027-02-28']])
    // Joined this month: the first political birthday is next November, outside the window.
    expect(months.flatMap((m) => m.entries).some((e) => e.member.id === 'd')).toBe(false)
  })
})
