import { describe, expect, it } from 'vitest'
import { ruleValue } from './meetings-section.ts'
import type { RuleYear } from '../../../core/domain/year-compliance.ts'

const year = (period: 'month' | 'year', periods: RuleYear['periods'], short: string[] = []): RuleYear => ({
  rule: { type: period === 'month' ? 'branch_committee' : 'org_life', period, times: 1 },
  cite: '',
  periods,
  short,
})

describe('a rule over the year, in words', () => {
  it('says which finished periods fell short, or that all were met and where the current one stands', () => {
    const done = { held: 1, met: true, finished: true }
    expect(
      ruleValue(
        year('month', [
          { key: '2026-10', ...done },
          { key: '2026-11', held: 0, met: false, finished: false },
        ]),
      ),
    ).toBe('已结束的 1 个月均达到要求，本月尚未达到；共召开 1 次')
    expect(ruleValue(year('month', [{ key: '2026-03', held: 0, met: false, finished: true }], ['3月']))).toBe('未达要求：3月；共召开 0 次')
    expect(ruleValue(year('year', [{ key: '2026', held: 0, met: false, finished: false }]))).toBe('本年度尚未结束，已召开 0 次')
    expect(ruleValue(year('year', [{ key: '2025', ...done }]))).toBe('已达到要求；共召开 1 次')
    expect(ruleValue(year('month', []))).toBe('本年度尚无须召开的期间')
  })
})
