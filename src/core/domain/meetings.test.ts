import { describe, expect, it } from 'vitest'
import {
  blankMinutes,
  compliance,
  DEFAULT_RULES,
  expectedFor,
  meetingProgress,
  meetingStats,
  minutesTemplate,
  periodKey,
  previousPeriodKey,
  rulesFor,
  type Rule,
} from './meetings.ts'

const committee: Rule = { type: 'branch_committee', period: 'month', times: 1 }
const general: Rule = { type: 'branch_general', period: 'quarter', times: 1 }
const orgLife: Rule = { type: 'org_life', period: 'year', times: 1 }

describe('periods in China time, whatever the device zone', () => {
  it('puts a moment in the China month, quarter and year', () => {
    // 30 September 16:30 UTC is 1 October 00:30 in China: October, Q4.
    const at = new Date('2026-09-30T16:30:00Z')
    expect(periodKey(at, 'month')).toBe('2026-10')
    expect(periodKey(at, 'quarter')).toBe('2026-Q4')
    // 31 December 16:00 UTC is already 2027 in China.
    expect(periodKey(new Date('2026-12-31T16:00:00Z'), 'year')).toBe('2027')
    expect(periodKey(new Date('2026-12-31T15:59:59Z'), 'year')).toBe('2026')
  })
  it('steps back across year ends', () => {
    expect(previousPeriodKey('2027-01', 'month')).toBe('2026-12')
    expect(previousPeriodKey('2027-Q1', 'quarter')).toBe('2026-Q4')
    expect(previousPeriodKey('2027', 'year')).toBe('2026')
  })
})

describe('compliance', () => {
  it('says what is due this month, citing the rule', () => {
    const [item] = compliance(
      [committee],
      [{ type: 'branch_committee', startsAt: '2026-10-15T02:00:00Z' }],
      new Date('2026-11-10T02:00:00Z'),
    )
    expect(item).toMatchObject({ status: 'due', held: 0, message: '支部委员会：每月至少1次，本月尚未召开' })
  })

  it('is satisfied by a meeting that has started in the period; a planned one does not count yet', () => {
    const now = new Date('2026-11-10T02:00:00Z')
    const held = compliance(
      [committee],
      [
        { type: 'branch_committee', startsAt: '2026-10-15T02:00:00Z' },
        { type: 'branch_committee', startsAt: '2026-11-03T02:00:00Z' },
      ],
      now,
    )
    expect(held[0]).toMatchObject({ status: 'ok', held: 1, message: '支部委员会：每月至少1次，本月已召开1次' })
    const planned = compliance(
      [committee],
      [
        { type: 'branch_committee', startsAt: '2026-10-15T02:00:00Z' },
        { type: 'branch_committee', startsAt: '2026-11-20T02:00:00Z' },
      ],
      now,
    )
    expect(planned[0]?.status).toBe('due')
  })

  it('flags a period that ended short as overdue', () => {
    const [item] = compliance([general], [{ type: 'branch_general', startsAt: '2026-05-01T02:00:00Z' }], new Date('2026-11-10T02:00:00Z'))
    expect(item).toMatchObject({ status: 'overdue', message: '支部党员大会：每季度至少1次，上季度未达要求（0次），本季度尚未召开' })
  })

  it('counts a meeting at 00:30 on 1 October China time in Q4, not Q3', () => {
    const meetings = [{ type: 'branch_general' as const, startsAt: '2026-09-30T16:30:00Z' }]
    const [q4] = compliance([general], meetings, new Date('2026-10-05T02:00:00Z'))
    expect(q4).toMatchObject({ held: 1 })
    const [q3] = compliance([general], meetings, new Date('2026-09-30T15:00:00Z'))
    expect(q3?.held).toBe(0)
  })

  it('yearly rules roll over at the China new year', () => {
    const meetings = [{ type: 'org_life' as const, startsAt: '2026-12-31T17:00:00Z' }] // 1 January 2027, 01:00 China
    expect(compliance([orgLife], meetings, new Date('2027-01-02T00:00:00Z'))[0]).toMatchObject({ held: 1, status: 'ok' })
    expect(compliance([orgLife], meetings, new Date('2026-12-31T15:00:00Z'))[0]).toMatchObject({ held: 0 })
  })

  it('the leadership owes the study group and the democratic life meeting; branches the rest', () => {
    expect(rulesFor(DEFAULT_RULES, null).map((r) => r.type)).toEqual(['study_group', 'democratic_life'])
    expect(rulesFor(DEFAULT_RULES, 'b1').map((r) => r.type)).not.toContain('study_group')
  })
})

describe('meetingStats', () => {
  it('counts expected people only; anyone expected without a status is absent', () => {
    const s = meetingStats(
      ['a', 'b', 'c', 'd'],
      [
        { memberId: 'a', status: 'present' },
        { memberId: 'b', status: 'leave' },
        { memberId: 'x', status: 'present' },
        { memberId: 'c', status: 'absent' },
      ],
    )
    expect(s).toEqual({ expected: 4, present: 1, leave: 1, absent: 2, rate: 0.25 })
  })

  it('before the sign-in window closes nobody unmarked is absent and there is no rate yet', () => {
    const rows = [
      { memberId: 'a', status: 'present' as const },
      { memberId: 'c', status: 'absent' as const },
    ]
    expect(meetingStats(['a', 'b', 'c'], rows, false)).toEqual({ expected: 3, present: 1, leave: 0, absent: 1, rate: null })
    expect(meetingStats(['b'], [], false)).toEqual({ expected: 1, present: 0, leave: 0, absent: 0, rate: null })
  })
})

describe('blankMinutes', () => {
  it("empty text and every template's headings alone are blank; anything written under them is not", () => {
    for (const t of ['', '\n', minutesTemplate('branch_committee'), minutesTemplate('heart_talk'), minutesTemplate('org_life')])
      expect(blankMinutes(t), t).toBe(true)
    expect(blankMinutes('议题：学习全会精神\n讨论情况：\n')).toBe(false)
  })
})

describe('meetingProgress', () => {
  const m = { startsAt: '2026-11-28T06:00:00Z', durationMinutes: 90 }
  it('未召开 before the start, 进行中 until an hour after the planned end, 已召开 after', () => {
    expect(meetingProgress(m, Date.parse('2026-11-28T05:59:59Z'))).toBe('upcoming')
    expect(meetingProgress(m, Date.parse('2026-11-28T06:00:00Z'))).toBe('ongoing')
    expect(meetingProgress(m, Date.parse('2026-11-28T08:30:00Z'))).toBe('ongoing')
    expect(meetingProgress(m, Date.parse('2026-11-28T08:30:10Z'))).toBe('closed')
  })
})

describe('compliance is judged only from when the organisation, branch or rule started', () => {
  const monthly: Rule = { type: 'theme_day', period: 'month', times: 1 }
  const yearly: Rule = { type: 'org_life', period: 'year', times: 1 }

  it('a brand-new organisation has not failed last month or last year on its first day', () => {
    const now = new Date('2026-11-20T02:00:00Z')
    const items = compliance([monthly, general, yearly], [], now, '2026-11-20')
    expect(items.map((i) => i.status)).toEqual(['due', 'due', 'due'])
    for (const i of items) expect(i.message).not.toMatch(/未达要求/)
    expect(items[0]?.message).toBe('主题党日：每月至少1次，本月尚未召开')
  })

  it('a period that began before the start is not judged; the first whole period after it is', () => {
    // Started 20 November: November is not judged in December; December is judged in January.
    expect(compliance([monthly], [], new Date('2026-12-05T02:00:00Z'), '2026-11-20')[0]?.status).toBe('due')
    expect(compliance([monthly], [], new Date('2027-01-05T02:00:00Z'), '2026-11-20')[0]).toMatchObject({
      status: 'overdue',
      message: '主题党日：每月至少1次，上月未达要求（0次），本月尚未召开',
    })
    // Started on the first day of a month: that month counts.
    expect(compliance([monthly], [], new Date('2026-12-05T02:00:00Z'), '2026-11-01')[0]?.status).toBe('overdue')
  })

  it('a rule made or changed later is judged from its own day', () => {
    const changed: Rule = { ...monthly, times: 2, since: '2026-11-10' }
    expect(compliance([changed], [], new Date('2026-12-05T02:00:00Z'), '2020-01-01')[0]?.status).toBe('due')
    expect(compliance([changed], [], new Date('2027-01-05T02:00:00Z'), '2020-01-01')[0]?.status).toBe('overdue')
  })
})

describe('expected people follow the type of meeting', () => {
  const people = [
    { id: 's', branchId: 'b1', role: 'secretary' },
    { id: 'c', branchId: 'b1', role: 'member', committee: true },
    { id: 'g', branchId: 'b1', role: 'member', groupId: 'g1' },
    { id: 'm', branchId: 'b1', role: 'member', groupId: 'g2' },
    { id: 'x', branchId: 'b2', role: 'member', committee: true, groupId: 'g1' },
    { id: 'r', branchId: 'b1', role: 'member', removed: true },
  ]
  it('支部委员会: the committee; 党小组会: the group; 支部党员大会 and 主题党日: the branch; 谈心谈话: the two', () => {
    expect(expectedFor('branch_committee', people, { branchId: 'b1' })).toEqual(['s', 'c'])
    expect(expectedFor('group', people, { branchId: 'b1', groupId: 'g1' })).toEqual(['g'])
    expect(expectedFor('group', people, { branchId: 'b1', groupId: null })).toEqual([])
    expect(expectedFor('branch_general', people, { branchId: 'b1' })).toEqual(['s', 'c', 'g', 'm'])
    expect(expectedFor('theme_day', people, { branchId: 'b1' })).toEqual(['s', 'c', 'g', 'm'])
    expect(expectedFor('heart_talk', people, { branchId: 'b1', organiserId: 's', talkWithId: 'm' })).toEqual(['s', 'm'])
    expect(expectedFor('study_group', people, { branchId: null })).toEqual([])
  })
})
