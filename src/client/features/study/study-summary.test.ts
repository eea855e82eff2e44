import { describe, expect, it } from 'vitest'
import { filterRecords, formatMinutes, monthLabel, shiftMonth, summarize } from './study-summary.ts'
import type { StudyRecord } from '../../../core/schemas/entities.ts'

const rec = (over: Partial<StudyRecord>): StudyRecord => ({
  id: 'x',
  ownerId: 'o',
  branchId: null,
  orgId: 'g',
  kind: 'self_study',
  title: 't',
  date: '2026-11-01',
  minutes: 30,
  notes: '',
  sourceUrl: '',
  createdAt: '',
  updatedAt: '',
  deleted: false,
  ...over,
})

describe('study summary', () => {
  it('totals per kind in display order and overall', () => {
    const s = summarize([
      rec({ kind: 'self_study', minutes: 30 }),
      rec({ kind: 'first_topic', minutes: 60 }),
      rec({ kind: 'self_study', minutes: 15 }),
    ])
    expect(s).toEqual({
      count: 3,
      minutes: 105,
      byKind: [
        { kind: 'first_topic', count: 1, minutes: 60 },
        { kind: 'self_study', count: 2, minutes: 45 },
      ],
    })
  })
  it('formats minutes in Chinese', () => {
    expect(formatMinutes(45)).toBe('45 分钟')
    expect(formatMinutes(120)).toBe('2 小时')
    expect(formatMinutes(135)).toBe('2 小时 15 分钟')
  })
  it('moves across year boundaries', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(monthLabel('2026-03')).toBe('2026年3月')
  })
  it('filters by kind and by title', () => {
    const rs = [rec({ id: 'a', title: '学习党章' }), rec({ id: 'b', title: '警示教育片', kind: 'warning_education' })]
    expect(filterRecords(rs, 'warning_education', '').map((r) => r.id)).toEqual(['b'])
    expect(filterRecords(rs, 'all', '党章').map((r) => r.id)).toEqual(['a'])
    expect(filterRecords(rs, 'self_study', '警示')).toEqual([])
  })
})
