import { chinaDay } from './china-time.ts'
import { signInPhase } from './sign-in-token.ts'

/** Forms of organisational life (三会一课 and the rest), as the branch work regulations name them. */
export const MEETING_TYPES = [
  'branch_general',
  'branch_committee',
  'group',
  'party_lesson',
  'theme_day',
  'study_group',
  'org_life',
  'democratic_life',
  'appraisal',
  'heart_talk',
  'other',
] as const
export type MeetingType = (typeof MEETING_TYPES)[number]

export const MEETING_TYPE_LABELS: Record<MeetingType, string> = {
  branch_general: '支部党员大会',
  branch_committee: '支部委员会',
  group: '党小组会',
  party_lesson: '党课',
  theme_day: '主题党日',
  study_group: '理论学习中心组学习',
  org_life: '组织生活会',
  democratic_life: '民主生活会',
  appraisal: '民主评议党员',
  heart_talk: '谈心谈话',
  other: '其他',
}

/** Kinds of 谈心谈话 (a talk is a 谈心谈话 meeting of two people; the kind says why it was held). */
export const TALK_KINDS = ['heart', 'reminder', 'integrity', 'pre_appointment'] as const
export type TalkKind = (typeof TALK_KINDS)[number]
export const TALK_KIND_LABELS: Record<TalkKind, string> = {
  heart: '谈心',
  reminder: '提醒谈话',
  integrity: '廉政谈话',
  pre_appointment: '任前谈话',
}

/**
 * Whether `viewerId` may read and write a meeting's notes (议程, 会议记录): of a 谈心谈话 only the two
 * who talked — its organiser and the person talked with, not the branch's secretary, not an
 * administrator (the coverage of talks shows only that a talk happened); of every other meeting
 * whoever receives it. The server strips the notes for everyone else; the phone hides the fields.
 */
export function readsNotes(m: { type: MeetingType; organiserId: string; talkWithId: string | null }, viewerId: string): boolean {
  return m.type !== 'heart_talk' || m.organiserId === viewerId || m.talkWithId === viewerId
}

/** Held by the organ's leadership (机关党委 level, no branch): the study group and the democratic life meeting. */
export const LEADERSHIP_TYPES: readonly MeetingType[] = ['study_group', 'democratic_life']

/**
 * What is wrong with a meeting's shape, or null: the leadership's meetings (理论学习中心组学习,
 * 民主生活会) belong to no branch, every other meeting to one, and a 谈心谈话 names whom it is with.
 */
export function meetingShapeProblem(type: MeetingType, branchId: string | null, talkWithId: string | null): string | null {
  const leadership = LEADERSHIP_TYPES.includes(type)
  if (leadership && branchId !== null) return `${MEETING_TYPE_LABELS[type]}由机关党委（领导班子）召开，不属于党支部`
  if (!leadership && branchId === null) return '请选择党支部'
  if (type === 'heart_talk' && !talkWithId) return '谈心谈话请选择谈话对象'
  return null
}

/** The minutes (会议记录) template per type; 应到/实到/缺席 are filled from attendance in the ledger, never typed. */
export function minutesTemplate(type: MeetingType): string {
  if (type === 'heart_talk') return '谈话内容：\n意见建议：\n'
  if (type === 'party_lesson') return '授课内容：\n学习体会：\n'
  if (type === 'org_life' || type === 'democratic_life') return '议题：\n对照检查：\n批评与自我批评：\n整改措施：\n'
  return '议题：\n讨论情况：\n决议：\n'
}

/**
 * Minutes that are empty or only a template's headings (议题：/讨论情况：/决议：) with nothing written
 * under them: not minutes. Shown as 尚未填写会议记录, saved and exported as empty.
 */
export function blankMinutes(text: string): boolean {
  return text.split('\n').every((line) => line.trim() === '' || /^[^：:]{1,12}[：:]\s*$/.test(line.trim()))
}

/** A person as the meeting form proposes them (the synced people of the phone). */
export interface Candidate {
  id: string
  branchId: string | null
  role: string
  groupId?: string | null
  committee?: boolean
  removed?: boolean
}

/**
 * Who is expected follows the type: 支部委员会 the branch committee (its 委员 and the secretary),
 * 党小组会 that group's members, 谈心谈话 the two who talk, the leadership's meetings those chosen
 * by hand (none proposed); every other type the whole branch.
 */
export function expectedFor(
  type: MeetingType,
  people: readonly Candidate[],
  at: { branchId: string | null; groupId?: string | null; organiserId?: string; talkWithId?: string | null },
): string[] {
  if (LEADERSHIP_TYPES.includes(type)) return []
  if (type === 'heart_talk') return [at.organiserId, at.talkWithId].filter((id): id is string => !!id && people.some((p) => p.id === id))
  const branch = people.filter((p) => !p.removed && at.branchId !== null && p.branchId === at.branchId)
  if (type === 'branch_committee') return branch.filter((p) => p.committee === true || p.role === 'secretary').map((p) => p.id)
  if (type === 'group') return at.groupId ? branch.filter((p) => p.groupId === at.groupId).map((p) => p.id) : []
  return branch.map((p) => p.id)
}

export type Period = 'month' | 'quarter' | 'year'
export const PERIOD_LABELS: Record<Period, string> = { month: '每月', quarter: '每季度', year: '每年' }
const THIS_PERIOD: Record<Period, string> = { month: '本月', quarter: '本季度', year: '本年度' }
const LAST_PERIOD: Record<Period, string> = { month: '上月', quarter: '上季度', year: '上年度' }

export interface Rule {
  type: MeetingType
  period: Period
  /** At least this many per period. */
  times: number
  /** China date from which the rule applies (set by the server when the rule was made or changed). */
  since?: string
}

/** Default frequencies (domain guide); each organisation may change them. */
export const DEFAULT_RULES: Rule[] = [
  { type: 'branch_general', period: 'quarter', times: 1 },
  { type: 'branch_committee', period: 'month', times: 1 },
  { type: 'group', period: 'month', times: 1 },
  { type: 'party_lesson', period: 'quarter', times: 1 },
  { type: 'theme_day', period: 'month', times: 1 },
  { type: 'study_group', period: 'month', times: 1 },
  { type: 'org_life', period: 'year', times: 1 },
  { type: 'democratic_life', period: 'year', times: 1 },
  { type: 'appraisal', period: 'year', times: 1 },
]

/** The China-time period key of a moment: '2026-11', '2026-Q4', '2026'. */
export function periodKey(at: Date, period: Period): string {
  const d = chinaDay(at)
  if (period === 'month') return `${d.year}-${String(d.month).padStart(2, '0')}`
  if (period === 'quarter') return `${d.year}-Q${Math.ceil(d.month / 3)}`
  return String(d.year)
}

/** The key of the period before the one `key` names. */
export function previousPeriodKey(key: string, period: Period): string {
  const y = Number(key.slice(0, 4))
  if (period === 'year') return String(y - 1)
  if (period === 'quarter') {
    const q = Number(key.slice(6))
    return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`
  }
  const m = Number(key.slice(5))
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

export interface HeldMeeting {
  type: MeetingType
  startsAt: string
}

export interface ComplianceItem {
  type: MeetingType
  period: Period
  required: number
  held: number
  /** ok: this period is satisfied; due: not yet this period; overdue: the last period ended short. */
  status: 'ok' | 'due' | 'overdue'
  /** "支部委员会：每月至少1次，本月尚未召开" */
  message: string
}

/** The China date a period begins: '2026-11' → '2026-11-01', '2026-Q4' → '2026-10-01', '2026' → '2026-01-01'. */
export function periodStart(key: string, period: Period): string {
  if (period === 'year') return `${key}-01-01`
  if (period === 'quarter') return `${key.slice(0, 4)}-${String((Number(key.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`
  return `${key}-01`
}

/**
 * What a body (a branch, or the leadership for its own types) still owes: for each rule, this
 * period's count so far and whether the last complete period fell short. Only meetings that
 * have started count as held. Periods are China-time months, quarters and years.
 *
 * A period is judged only if the body and the rule both existed for all of it: `since` is the
 * China date the organisation or branch started (the later of the two), and a rule's own `since`
 * the day it was made. A new organisation has not failed the month before it existed.
 */
export function compliance(
  rules: readonly Rule[],
  meetings: readonly HeldMeeting[],
  now: Date,
  since: string | null = null,
): ComplianceItem[] {
  return rules.map((rule) => {
    const label = MEETING_TYPE_LABELS[rule.type]
    const current = periodKey(now, rule.period)
    const previous = previousPeriodKey(current, rule.period)
    const start =
      [since, rule.since]
        .filter((d): d is string => typeof d === 'string')
        .sort()
        .at(-1) ?? null
    const judged = start === null || periodStart(previous, rule.period) >= start
    let held = 0
    let heldBefore = 0
    for (const m of meetings) {
      if (m.type !== rule.type) continue
      const at = new Date(m.startsAt)
      if (at.getTime() > now.getTime()) continue
      const k = periodKey(at, rule.period)
      if (k === current) held++
      else if (k === previous) heldBefore++
    }
    const cite = `${label}：${PERIOD_LABELS[rule.period]}至少${rule.times}次`
    if (judged && heldBefore < rule.times) {
      return {
        type: rule.type,
        period: rule.period,
        required: rule.times,
        held,
        status: held >= rule.times ? 'ok' : 'overdue',
        message:
          held >= rule.times
            ? `${cite}，${THIS_PERIOD[rule.period]}已召开${held}次`
            : `${cite}，${LAST_PERIOD[rule.period]}未达要求（${heldBefore}次），${THIS_PERIOD[rule.period]}${held ? `已召开${held}次` : '尚未召开'}`,
      }
    }
    if (held >= rule.times)
      return {
        type: rule.type,
        period: rule.period,
        required: rule.times,
        held,
        status: 'ok',
        message: `${cite}，${THIS_PERIOD[rule.period]}已召开${held}次`,
      }
    return {
      type: rule.type,
      period: rule.period,
      required: rule.times,
      held,
      status: 'due',
      message: `${cite}，${THIS_PERIOD[rule.period]}${held ? `已召开${held}次` : '尚未召开'}`,
    }
  })
}

/** Rules that apply to a branch, or to the organ's leadership (branch null). */
export function rulesFor(rules: readonly Rule[], branchId: string | null): Rule[] {
  return rules.filter((r) => (branchId === null ? LEADERSHIP_TYPES.includes(r.type) : !LEADERSHIP_TYPES.includes(r.type)))
}

export type AttendanceStatus = 'present' | 'leave' | 'absent'
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = { present: '出席', leave: '请假', absent: '缺席' }

/**
 * Where a meeting stands: 未召开 before it starts, 进行中 until its sign-in window has closed
 * (an hour after its planned end, as the server accepts codes), 已召开 after. Nobody is absent
 * from a meeting that is not 已召开: they may still sign in.
 */
export type MeetingProgress = 'upcoming' | 'ongoing' | 'closed'
export const MEETING_PROGRESS_LABELS: Record<MeetingProgress, string> = { upcoming: '未召开', ongoing: '进行中', closed: '已召开' }

export function meetingProgress(m: { startsAt: string; durationMinutes: number }, now: number): MeetingProgress {
  if (now < Date.parse(m.startsAt)) return 'upcoming'
  return signInPhase(m, now) === 'after' ? 'closed' : 'ongoing'
}

export interface MeetingStats {
  expected: number
  present: number
  leave: number
  /** Everyone expected who is neither present nor on leave; while the meeting is not closed, only those marked absent by hand. */
  absent: number
  /** present / expected, 0..1 (1 when nobody was expected); null while the meeting is not closed. */
  rate: number | null
}

/** Per meeting: expected, present, on leave, absent (everyone expected who is neither, once the meeting is closed). */
export function meetingStats(
  expectedIds: readonly string[],
  rows: readonly { memberId: string; status: AttendanceStatus | null }[],
  closed = true,
): MeetingStats {
  const byMember = new Map(rows.map((r) => [r.memberId, r.status]))
  let present = 0
  let leave = 0
  let marked = 0
  for (const id of expectedIds) {
    const s = byMember.get(id)
    if (s === 'present') present++
    else if (s === 'leave') leave++
    else if (s === 'absent') marked++
  }
  const expected = expectedIds.length
  if (!closed) return { expected, present, leave, absent: marked, rate: null }
  return { expected, present, leave, absent: expected - present - leave, rate: expected === 0 ? 1 : present / expected }
}
