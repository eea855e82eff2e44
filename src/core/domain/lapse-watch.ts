import { chinaDay } from './china-time.ts'
import { TRAINING_RULES, trainingRulesOn, type TrainingRuleSet } from './training.ts'
import type { MeetingType } from './meetings.ts'

/**
 * The six-month watch (党章第九条; 党员教育管理工作条例 Art.31(6)): a member who, without good
 * reason, goes six months in a row without organisational life or without paying dues is
 * regarded as having left the Party (自行脱党). The app only warns the secretary — from 3 months,
 * a rule-cited alert at 6 — and never acts; whether the reason was good is the branch's judgement.
 *
 * A month "with organisational life", for one member (China calendar months):
 * - recorded 出席 at any meeting that is organisational life: every type except 谈心谈话 (a talk
 *   between two people), whether the branch's, a party group's or the leadership's; or
 * - a 补学 the secretary confirmed, in the month of its date (the member made up what was missed).
 * Leave (请假), even approved, is not participation; a 补学 for it is.
 *
 * "Months in a row" are whole months counted back from the last finished month, never before the
 * member's first month (firstMonthOf: the first meeting they were expected at, not before the
 * organisation's start). The current month is not judged until it ends, but organisational life
 * in it ends the run.
 */

export const WARN_FROM_MONTHS = 3
export const ALERT_AT_MONTHS = 6

/** Meeting types that are not organisational life for this watch. */
export const NOT_ORG_LIFE: readonly MeetingType[] = ['heart_talk']

const monthKey = (at: Date): string => {
  const d = chinaDay(at)
  return `${d.year}-${String(d.month).padStart(2, '0')}`
}

export function previousMonth(key: string): string {
  const y = Number(key.slice(0, 4))
  const m = Number(key.slice(5, 7))
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

export interface LifeMeeting {
  id: string
  type: MeetingType
  startsAt: string
  deleted?: boolean
}
export interface LifeAttendance {
  meetingId: string
  memberId: string
  status: 'present' | 'leave' | 'absent' | null
}
export interface LifeMakeup {
  memberId: string
  date: string
  confirmedAt: string | null
  deleted?: boolean
}

/** The months ('2026-03') in which one member had organisational life. */
export function orgLifeMonths(
  memberId: string,
  meetings: readonly LifeMeeting[],
  attendance: readonly LifeAttendance[],
  makeups: readonly LifeMakeup[],
): Set<string> {
  const byId = new Map(meetings.filter((m) => !m.deleted && !NOT_ORG_LIFE.includes(m.type)).map((m) => [m.id, m]))
  const months = new Set<string>()
  for (const a of attendance) {
    if (a.memberId !== memberId || a.status !== 'present') continue
    const m = byId.get(a.meetingId)
    if (m) months.add(monthKey(new Date(m.startsAt)))
  }
  for (const k of makeups) if (k.memberId === memberId && !k.deleted && k.confirmedAt) months.add(k.date.slice(0, 7))
  return months
}

/**
 * Whole months in a row, back from the last finished month down to `firstMonth` (included), without
 * an entry in `months`. An entry for the current month ends the run at 0; an unknown first month
 * judges nothing.
 */
export function monthsInARow(months: ReadonlySet<string>, now: Date, firstMonth: string): number {
  const current = monthKey(now)
  // A first month that is not a month ('' when nobody knows when the member started): nothing is judged.
  if (months.has(current) || !/^\d{4}-(0[1-9]|1[0-2])$/.test(firstMonth)) return 0
  let n = 0
  for (let k = previousMonth(current); k >= firstMonth && !months.has(k); k = previousMonth(k)) n++
  return n
}

/**
 * The first month a member can be judged on, from the records: the month of the first meeting they
 * were expected at (they were in the branch then), never before `since` (the organisation's or
 * branch's start). '' when they have not been expected anywhere yet: nothing is judged.
 */
export function firstMonthOf(
  memberId: string,
  meetings: readonly { startsAt: string; expectedIds?: readonly string[]; deleted?: boolean }[],
  now: Date,
  since: string | null = null,
): string {
  let first = ''
  for (const m of meetings) {
    if (m.deleted || !m.expectedIds?.includes(memberId) || Date.parse(m.startsAt) > now.getTime()) continue
    const k = monthKey(new Date(m.startsAt))
    if (first === '' || k < first) first = k
  }
  if (first === '') return ''
  const floor = since ? since.slice(0, 7) : ''
  return floor > first ? floor : first
}

export type WatchLevel = 'none' | 'warning' | 'alert'

export const levelOf = (months: number): WatchLevel =>
  months >= ALERT_AT_MONTHS ? 'alert' : months >= WARN_FROM_MONTHS ? 'warning' : 'none'

export interface WatchRow {
  memberId: string
  /** Months in a row without organisational life. */
  noOrgLife: number
  /** Months in a row unpaid; null when there are no dues records (the column is not shown). */
  unpaid: number | null
  level: WatchLevel
  /** "连续4个月未参加组织生活" … with the rule cited at 6. */
  message: string
}

export interface WatchMember {
  id: string
  /** 'YYYY-MM': the first month the member could be judged on (joined the branch, or the records began). */
  firstMonth: string
}

/**
 * Dues, filled by the dues work (党费): for a member, the months ('YYYY-MM') their dues are paid
 * for. Null or absent: the organisation keeps no dues in the app, and the column is not shown.
 */
export type PaidMonthsOf = ((memberId: string) => ReadonlySet<string>) | null

export interface WatchInput {
  now: Date
  members: readonly WatchMember[]
  meetings: readonly LifeMeeting[]
  attendance: readonly LifeAttendance[]
  makeups: readonly LifeMakeup[]
  paidMonths?: PaidMonthsOf
  rules?: readonly TrainingRuleSet[]
}

/** One row per member; the caller shows those whose level is not 'none' (or everyone). */
export function sixMonthWatch(i: WatchInput): WatchRow[] {
  const rules = trainingRulesOn(monthKey(i.now) + '-01', i.rules ?? TRAINING_RULES)
  return i.members.map((m) => {
    const noOrgLife = monthsInARow(orgLifeMonths(m.id, i.meetings, i.attendance, i.makeups), i.now, m.firstMonth)
    const unpaid = i.paidMonths ? monthsInARow(i.paidMonths(m.id), i.now, m.firstMonth) : null
    const worst = Math.max(noOrgLife, unpaid ?? 0)
    const level = levelOf(worst)
    const parts: string[] = []
    if (noOrgLife >= WARN_FROM_MONTHS) parts.push(`连续${noOrgLife}个月未参加组织生活`)
    if (unpaid !== null && unpaid >= WARN_FROM_MONTHS) parts.push(`连续${unpaid}个月未交纳党费`)
    const message =
      level === 'none'
        ? ''
        : level === 'alert'
          ? `${parts.join('，')}。${rules.lapseCite}。请支部了解情况、谈心谈话。`
          : `${parts.join('，')}，请及时了解情况`
    return { memberId: m.id, noOrgLife, unpaid, level, message }
  })
}
