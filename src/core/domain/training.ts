import { chinaDay } from './china-time.ts'
import { MEETING_TYPE_LABELS, type MeetingType } from './meetings.ts'

/**
 * 学时: the organised training a member has had in a year, counted only from what already
 * happened and was recorded by the organisation — never typed twice, never measured in the app.
 *
 * What counts (decided here, documented in the README's 学时 section):
 * 1. A meeting of a type the organisation marks as training (党课, 理论学习中心组学习…: the
 *    administrator's setting), for each member recorded 出席: the meeting's planned duration;
 *    a member who signed in by scanning more than LATE_GRACE_MINUTES after the start counts from
 *    the sign-in to the planned end (late arrival is the only shortening the records hold: a
 *    departure is not recorded, so nobody is docked for one).
 * 2. A 补学 the secretary has confirmed, for such a meeting: the meeting's planned duration, in
 *    the year of the 补学's date.
 * 3. Outside training (党校轮训, an online course the organ assigned) the member recorded with its
 *    certificate and the secretary confirmed: its minutes, in the year it ended.
 *
 * What never counts: study records a member types for themselves (个人自学, 学习强国 and every other
 * kind in study-kinds.ts, even one named 党课 — the meeting is the record of a 党课, so counting both
 * would count it twice), and any time spent in the app. The 2026 rules against formalism bar
 * 学习时长 as a basis for assessment; self-reported study stays the member's private record.
 *
 * Hours: 学时 = minutes ÷ the organisation's hour length (45 or 60), to one decimal, rounded DOWN
 * (a shortfall is never rounded into compliance); totals are taken from the summed minutes.
 */

/** One version of the rules, with the articles they come from. A revision is a new entry, never an edit. */
export interface TrainingRuleSet {
  version: number
  /** China date from which this version applies. */
  since: string
  memberHours: number
  memberCite: string
  cadreHours: number
  cadreCite: string
  exemptCite: string
  lapseCite: string
}

export const TRAINING_RULES: readonly TrainingRuleSet[] = [
  {
    version: 1,
    since: '2019-05-06',
    memberHours: 32,
    memberCite: '《中国共产党党员教育管理工作条例》第二十条：党员每年集中学习培训时间一般不少于32学时',
    cadreHours: 90,
    cadreCite: '《干部教育培训工作条例》（2023年修订）：乡科级及以下干部每年参加脱产教育培训的时间累计不少于90学时或者12天',
    exemptCite: '《中国共产党党员教育管理工作条例》第二十三条：对年老体弱、患有重病的党员，不作硬性要求',
    lapseCite:
      '《中国共产党章程》第九条、《中国共产党党员教育管理工作条例》第三十一条第六项：连续6个月不参加党的组织生活、不交纳党费，按自行脱党处理',
  },
]

/** The rules in force on a China date. */
export function trainingRulesOn(date: string, rules: readonly TrainingRuleSet[] = TRAINING_RULES): TrainingRuleSet {
  const inForce = rules.filter((r) => r.since <= date).at(-1)
  return inForce ?? (rules[0] as TrainingRuleSet)
}

export const HOUR_LENGTHS = [45, 60] as const
export type HourLength = (typeof HOUR_LENGTHS)[number]

/** What an organisation's administrator sets: the meeting types that are training, and the length of one 学时. */
export interface TrainingSettings {
  types: MeetingType[]
  minutesPerHour: HourLength
}

/** Meeting types that are training wherever they are held; an organisation adds 主题党日 or 其他 (清风大讲堂…) as it holds them. */
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = { types: ['party_lesson', 'study_group'], minutesPerHour: 45 }

/** Meeting types that are never training: a talk between two people, a committee deciding business. */
export const NEVER_TRAINING: readonly MeetingType[] = ['heart_talk', 'branch_committee']

/** A scanned sign-in this late after the start counts from the sign-in. */
export const LATE_GRACE_MINUTES = 10

/** Per member: 乡科级及以下干部 (owes 90 学时), or 年老体弱、患有重病 (no hard requirement, never chased). */
export interface TrainingFlags {
  cadre: boolean
  exempt: boolean
}
export const NO_FLAGS: TrainingFlags = { cadre: false, exempt: false }

export interface TrainingMeeting {
  id: string
  type: MeetingType
  topic: string
  startsAt: string
  durationMinutes: number
  deleted?: boolean
}
export interface TrainingAttendance {
  meetingId: string
  memberId: string
  status: 'present' | 'leave' | 'absent' | null
  method: 'scan' | 'manual' | null
  signedAt: string | null
}
export interface TrainingMakeup {
  meetingId: string
  memberId: string
  date: string
  confirmedAt: string | null
  deleted?: boolean
}
export interface OutsideTrainingRecord {
  id: string
  memberId: string
  title: string
  organiser: string
  endOn: string
  minutes: number
  confirmedAt: string | null
  deleted?: boolean
}

export type TrainingSource = 'meeting' | 'makeup' | 'outside'
export const TRAINING_SOURCE_LABELS: Record<TrainingSource, string> = { meeting: '参加会议', makeup: '补学', outside: '其他培训' }

export interface TrainingItem {
  source: TrainingSource
  /** The meeting's or outside training's id. */
  refId: string
  /** China date. */
  date: string
  title: string
  minutes: number
  /** Shown beside the item: the meeting type, 迟到 from the sign-in, the organiser. */
  detail: string
}

/** 学时 to one decimal, rounded down. */
export function hoursOf(minutes: number, minutesPerHour: HourLength): number {
  return Math.floor((minutes * 10) / minutesPerHour) / 10
}

const chinaDate = (iso: string): string => {
  const d = chinaDay(new Date(iso))
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

/** Minutes of a meeting a member present counts: the whole, or from a late scanned sign-in to the planned end. */
export function attendedMinutes(m: TrainingMeeting, a: TrainingAttendance): number {
  if (a.status !== 'present') return 0
  if (a.method !== 'scan' || !a.signedAt) return m.durationMinutes
  const late = (Date.parse(a.signedAt) - Date.parse(m.startsAt)) / 60_000
  if (late <= LATE_GRACE_MINUTES) return m.durationMinutes
  return Math.max(0, Math.floor(m.durationMinutes - late))
}

export interface TrainingInput {
  memberId: string
  year: number
  settings: TrainingSettings
  meetings: readonly TrainingMeeting[]
  attendance: readonly TrainingAttendance[]
  makeups: readonly TrainingMakeup[]
  outside: readonly OutsideTrainingRecord[]
  /** Only meetings that have started count; defaults to every meeting given. */
  now?: Date
  /** Every year's items (the personal export finds the years with any); `year` is then ignored. */
  anyYear?: boolean
}

/** Every counted item of one member's year, oldest first. */
export function trainingItems(i: TrainingInput): TrainingItem[] {
  const types = new Set(i.settings.types.filter((t) => !NEVER_TRAINING.includes(t)))
  const byId = new Map(i.meetings.filter((m) => !m.deleted && types.has(m.type)).map((m) => [m.id, m]))
  const inYear = (date: string) => i.anyYear === true || Number(date.slice(0, 4)) === i.year
  const out: TrainingItem[] = []
  const counted = new Set<string>()
  for (const a of i.attendance) {
    if (a.memberId !== i.memberId || a.status !== 'present') continue
    const m = byId.get(a.meetingId)
    if (!m || counted.has(m.id) || (i.now && Date.parse(m.startsAt) > i.now.getTime())) continue
    const date = chinaDate(m.startsAt)
    const minutes = attendedMinutes(m, a)
    if (!inYear(date) || minutes <= 0) continue
    counted.add(m.id)
    const late = minutes < m.durationMinutes ? `，迟到（自签到起计${minutes}分钟）` : ''
    out.push({ source: 'meeting', refId: m.id, date, title: m.topic, minutes, detail: `${MEETING_TYPE_LABELS[m.type]}${late}` })
  }
  for (const k of i.makeups) {
    if (k.memberId !== i.memberId || k.deleted || !k.confirmedAt || !inYear(k.date)) continue
    const m = byId.get(k.meetingId)
    // A 补学 for a meeting the member also attended counts once (the attendance).
    if (!m || counted.has(m.id)) continue
    counted.add(m.id)
    out.push({
      source: 'makeup',
      refId: m.id,
      date: k.date,
      title: m.topic,
      minutes: m.durationMinutes,
      detail: `${MEETING_TYPE_LABELS[m.type]}补学`,
    })
  }
  for (const o of i.outside) {
    if (o.memberId !== i.memberId || o.deleted || !o.confirmedAt || !inYear(o.endOn)) continue
    out.push({ source: 'outside', refId: o.id, date: o.endOn, title: o.title, minutes: o.minutes, detail: o.organiser })
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title, 'zh-CN'))
}

export interface Requirement {
  hours: number
  label: string
  cite: string
}

/** What a member owes in a year: 32 学时 as a member, 90 as a cadre; none (flagged, never chased) for the old, frail or seriously ill. */
export function requirementsFor(flags: TrainingFlags, year: number, rules: readonly TrainingRuleSet[] = TRAINING_RULES): Requirement[] {
  if (flags.exempt) return []
  const r = trainingRulesOn(`${year}-12-31`, rules)
  const out: Requirement[] = [{ hours: r.memberHours, label: '党员集中学习培训', cite: r.memberCite }]
  if (flags.cadre) out.push({ hours: r.cadreHours, label: '干部教育培训', cite: r.cadreCite })
  return out
}

export interface TrainingYear {
  items: TrainingItem[]
  minutes: number
  hours: number
  /** The largest requirement that applies (null: exempt). */
  required: number | null
  requirements: Requirement[]
  exempt: boolean
  /** Hours still owed (0 when met or exempt). */
  short: number
}

export function trainingYear(i: TrainingInput, flags: TrainingFlags, rules: readonly TrainingRuleSet[] = TRAINING_RULES): TrainingYear {
  const items = trainingItems(i)
  const minutes = items.reduce((s, x) => s + x.minutes, 0)
  const hours = hoursOf(minutes, i.settings.minutesPerHour)
  const requirements = requirementsFor(flags, i.year, rules)
  const required = requirements.length ? Math.max(...requirements.map((r) => r.hours)) : null
  const short = required === null ? 0 : Math.max(0, Math.round((required - hours) * 10) / 10)
  return { items, minutes, hours, required, requirements, exempt: flags.exempt, short }
}

/** "今年 26 / 32 学时"; exempt: "今年 26 学时（不作硬性要求）". */
export function progressText(y: TrainingYear): string {
  return y.required === null ? `今年 ${y.hours} 学时（不作硬性要求）` : `今年 ${y.hours} / ${y.required} 学时`
}

/** The secretary's list of who is short, shown in the fourth quarter: sorted by name, never by hours. */
export function shortList<T extends { name: string; year: TrainingYear }>(people: readonly T[]): T[] {
  return people.filter((p) => !p.year.exempt && p.year.short > 0).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/** The fourth quarter (October to December, China time): when the short list is shown. */
export const inFourthQuarter = (now: Date): boolean => chinaDay(now).month >= 10
