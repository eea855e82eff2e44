import { describe, expect, it } from 'vitest'
import { yearCompliance } from './year-compliance.ts'
import type { HeldMeeting } from './meetings.ts'

const at = (day: string, type: HeldMeeting['type'] = 'branch_committee'): HeldMeeting => ({ type, startsAt: `${day}T02:00:00Z` })
const now = new Date('2026-11-30T04:00:00Z')

describe('yearCompliance', () => {
  it('lists the finished months that fell short; the month under way is not yet short', () => {
    const held = [
      '2026-01-05',
      '2026-02-05',
      '2026-04-05',
      '2026-05-05',
      '2026-06-05',
      '2026-07-05',
      '2026-08-05',
      '2026-09-05',
      '2026-10-05',
    ]
    const [r] = yearCompliance(
      [{ type: 'branch_committee', period: 'month', times: 1 }],
      held.map((d) => at(d)),
      2026,
      now,
      null,
    )
    expect(r?.cite).toBe('支部委员会：每月至少1次')
    expect(r?.short).toEqual(['3月'])
    expect(r?.periods.map((p) => p.key)).toHaveLength(11) // December has not begun
    expect(r?.periods.at(-1)).toMatchObject({ key: '2026-11', held: 0, met: false, finished: false })
  })

  it('judges nothing before the body or the rule started, and counts only meetings that have started, of the type', () => {
    const [r] = yearCompliance(
      [{ type: 'party_lesson', period: 'quarter', times: 1, since: '2026-04-01' }],
      [at('2026-05-01', 'party_lesson'), at('2026-08-01', 'theme_day'), at('2026-12-20', 'party_lesson')],
      2026,
      now,
      '2026-03-15',
    )
    expect(r?.periods.map((p) => [p.key, p.held])).toEqual([
      ['2026-Q2', 1],
      ['2026-Q3', 0],
      ['2026-Q4', 0],
    ])
    expect(r?.short).toEqual(['第三季度'])
  })

  it('a past year is judged whole; a yearly rule held once is met', () => {
    const [r] = yearCompliance([{ type: 'org_life', period: 'year', times: 1 }], [at('2025-12-28', 'org_life')], 2025, now, null)
    expect(r?.periods).toEqual([{ key: '2025', held: 1, met: true, finished: true }])
    expect(r?.short).toEqual([])
  })
})
