import { describe, expect, it } from 'vitest'
import { chinaDay, formatChinaDateTime, formatChinaDay, formatYmd } from './china-time.ts'

describe('China Standard Time', () => {
  it('rolls the day over at 16:00 UTC', () => {
    expect(chinaDay(new Date('2026-11-27T15:59:59Z'))).toMatchObject({ month: 11, day: 27, weekday: '星期五' })
    expect(chinaDay(new Date('2026-11-27T16:00:00Z'))).toMatchObject({ month: 11, day: 28, weekday: '星期六' })
  })
  it('crosses the year boundary in Beijing time', () => {
    expect(chinaDay(new Date('2026-12-31T16:30:00Z'))).toMatchObject({ year: 2027, month: 1, day: 1 })
  })
  it('formats for the home screen and for sync times', () => {
    expect(formatChinaDay(new Date('2026-11-28T02:00:00Z'))).toBe('11月28日 星期六')
    expect(formatChinaDateTime(new Date('2026-11-28T06:05:00Z'))).toBe('2026年11月28日 14:05')
  })
})

describe('formatYmd', () => {
  it('writes a calendar date in Chinese without leading zeros, and leaves anything else alone', () => {
    expect(formatYmd('2026-12-31')).toBe('2026年12月31日')
    expect(formatYmd('2027-01-05')).toBe('2027年1月5日')
    expect(formatYmd('')).toBe('')
  })
})
