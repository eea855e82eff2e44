/**
 * Calendar dates in China Standard Time (Asia/Shanghai), whatever the device's time zone.
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for every
 * date this app records, and avoids loading time-zone data (slow on old phones) through Intl.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const

export interface ChinaDay {
  year: number
  month: number
  day: number
  weekday: (typeof WEEKDAYS)[number]
}

export function chinaDay(at: Date): ChinaDay {
  const d = new Date(at.getTime() + OFFSET_MS)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: WEEKDAYS[d.getUTCDay()] as ChinaDay['weekday'],
  }
}

/** Today's date in China as YYYY-MM-DD, whatever the device's time zone. */
export function chinaToday(now: Date): string {
  const d = chinaDay(now)
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

/** "11月28日 星期六" */
export function formatChinaDay(at: Date): string {
  const d = chinaDay(at)
  return `${d.month}月${d.day}日 ${d.weekday}`
}

/** A calendar date as written in Chinese: "2026-12-31" → "2026年12月31日"; anything else is returned as it is. */
export function formatYmd(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : ymd
}

/** "2026年11月28日 14:05" */
export function formatChinaDateTime(at: Date): string {
  const d = new Date(at.getTime() + OFFSET_MS)
  const hh = String(d.getUTCHours()).padStart(2, '0')
  const mm = String(d.getUTCMinutes()).padStart(2, '0')
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`
}

/** The first and the after-last moment of a China calendar year, as UTC ISO strings (for range queries). */
export function chinaYearBounds(year: number): [string, string] {
  return [new Date(Date.UTC(year, 0, 1) - OFFSET_MS).toISOString(), new Date(Date.UTC(year + 1, 0, 1) - OFFSET_MS).toISOString()]
}
