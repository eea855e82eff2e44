import { chinaToday } from './china-time.ts'
import { MEETING_TYPE_LABELS, PERIOD_LABELS, periodKey, periodStart, type HeldMeeting, type Period, type Rule } from './meetings.ts'

/**
 * How a body kept one rule over a year (述职评议: "meetings held against the rules"): each period of
 * the year that has begun and that the body and the rule existed for all of, with the meetings
 * held in it. Facts only: which periods fell short, never a score.
 */
export interface RuleYear {
  rule: Rule
  /** "支部委员会：每月至少1次" */
  cite: string
  /** Judged periods: '2026-03', '2026-Q2', '2026'. */
  periods: { key: string; held: number; met: boolean; finished: boolean }[]
  /** Finished periods that fell short (a period still under way is not yet short). */
  short: string[]
}

const PERIODS_IN_YEAR: Record<Period, (year: number) => string[]> = {
  month: (y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`),
  quarter: (y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`),
  year: (y) => [String(y)],
}

/** The China date after a period ends. */
function periodEnd(key: string, period: Period): string {
  const y = Number(key.slice(0, 4))
  if (period === 'year') return `${y + 1}-01-01`
  if (period === 'quarter') {
    const q = Number(key.slice(6))
    return q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`
  }
  const m = Number(key.slice(5))
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
}

/** A period's short name in Chinese: 3月, 第二季度, 全年. */
export function periodName(key: string, period: Period): string {
  if (period === 'month') return `${Number(key.slice(5))}月`
  if (period === 'quarter') return `第${['一', '二', '三', '四'][Number(key.slice(6)) - 1]}季度`
  return '全年'
}

/**
 * Each rule over `year` up to `now` (China time): periods before `since` (the later of the body's
 * start and the rule's own) are not judged, and meetings that have not started do not count.
 */
export function yearCompliance(
  rules: readonly Rule[],
  meetings: readonly HeldMeeting[],
  year: number,
  now: Date,
  since: string | null,
): RuleYear[] {
  const nowDay = chinaToday(now)
  return rules.map((rule) => {
    const start =
      [since, rule.since]
        .filter((d): d is string => typeof d === 'string')
        .sort()
        .at(-1) ?? null
    const counts = new Map<string, number>()
    for (const m of meetings) {
      if (m.type !== rule.type) continue
      const at = new Date(m.startsAt)
      if (at.getTime() > now.getTime()) continue
      const k = periodKey(at, rule.period)
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    const periods = PERIODS_IN_YEAR[rule.period](year)
      .filter((k) => periodStart(k, rule.period) <= nowDay && (start === null || periodStart(k, rule.period) >= start))
      .map((key) => {
        const held = counts.get(key) ?? 0
        return { key, held, met: held >= rule.times, finished: periodEnd(key, rule.period) <= nowDay }
      })
    return {
      rule,
      cite: `${MEETING_TYPE_LABELS[rule.type]}：${PERIOD_LABELS[rule.period]}至少${rule.times}次`,
      periods,
      short: periods.filter((p) => p.finished && !p.met).map((p) => periodName(p.key, rule.period)),
    }
  })
}
