import { anniversaryIn, daysBetween, nextPoliticalBirthday, politicalBirthdayToday } from './political-birthday.ts'
import { chinaToday } from './china-time.ts'
import type { MemberStatus, Role } from './roles.ts'
import type { Channel } from './reminder-channels.ts'

/**
 * Reminders: what is due for whom, and when it may be sent. Pure, shared by the server's daily
 * job (Web Push) and the app's in-app notices, so both say the same thing.
 *
 * - 政治生日祝福: on the member's political birthday.
 * - 支部政治生日预告: every Monday, a secretary (and administrator with a branch) hears of the
 *   branch's political birthdays in the following seven days (Tuesday to next Monday): every
 *   day is announced exactly once, one to seven days ahead.
 * - 预备期满: under the same setting (both are the branch's party dates), a secretary hears of each
 *   预备党员 of the branch (an administrator: of the organisation) once, from 30 days before the
 *   probation ends, with the steps of 转正 (probation.ts: kept out of this module, which the app's
 *   首页 loads, and added to the job's reminders by the server).
 * - 本月尚未记录学习: gentle, opt-in, once a month from the 20th if nothing was recorded that month.
 * - 未同步超过24小时: only the phone knows its unsynced changes, so this one is in-app only.
 * Nothing is sent in the member's quiet hours; a reminder due then waits until they end.
 */

export const SEND_HOUR = 9
export const STUDY_GAP_FROM_DAY = 20

export const REMINDER_KINDS = ['birthday', 'branchWeekAhead', 'meetingTomorrow', 'studyGap', 'unsynced'] as const
export type ReminderKind = (typeof REMINDER_KINDS)[number]

export interface ReminderKindInfo {
  label: string
  hint: string
  /** Roles the kind applies to; undefined: everyone. */
  roles?: readonly Role[]
  /** Sent by Web Push (otherwise only shown in the app). */
  push: boolean
  defaultOn: boolean
}

export const REMINDER_INFO: Record<ReminderKind, ReminderKindInfo> = {
  birthday: { label: '我的政治生日', hint: '当天上午收到祝福和入党誓词', push: true, defaultOn: true },
  branchWeekAhead: {
    label: '支部政治生日与转正提醒',
    hint: '每周一提前告知未来七天过政治生日的党员；预备党员预备期满前30天提醒转正程序',
    roles: ['secretary', 'admin'],
    push: true,
    defaultOn: true,
  },
  meetingTomorrow: { label: '明天的会议', hint: '会议前一天上午提醒：时间和地点', push: true, defaultOn: true },
  studyGap: { label: '本月尚未记录学习', hint: '每月20日后若本月还没有学习记录，温和提醒一次（默认关闭）', push: true, defaultOn: false },
  unsynced: { label: '内容超过24小时未同步', hint: '打开应用时提醒联网同步，以免内容只留在本机', push: false, defaultOn: true },
}

export interface ReminderPrefs {
  birthday: boolean
  branchWeekAhead: boolean
  meetingTomorrow: boolean
  studyGap: boolean
  unsynced: boolean
  /** Quiet hours as HH:MM in China time; equal start and end means none. */
  quietStart: string
  quietEnd: string
  /** Channels in the order to try (reminder-channels.ts); null: not chosen, every channel the organ offers. */
  channels: Channel[] | null
}

export const DEFAULT_PREFS: ReminderPrefs = {
  birthday: true,
  branchWeekAhead: true,
  meetingTomorrow: true,
  studyGap: false,
  unsynced: true,
  quietStart: '22:00',
  quietEnd: '08:00',
  channels: null,
}

export const appliesTo = (kind: ReminderKind, role: Role): boolean => REMINDER_INFO[kind].roles?.includes(role) ?? true

const OFFSET_MS = 8 * 60 * 60 * 1000

/** Minutes since midnight in China. */
export function chinaMinuteOfDay(now: Date): number {
  const d = new Date(now.getTime() + OFFSET_MS)
  return d.getUTCHours() * 60 + d.getUTCMinutes()
}

const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** Whether `minute` falls in quiet hours [start, end), which may run over midnight. */
export function inQuietHours(minute: number, quietStart: string, quietEnd: string): boolean {
  const s = toMinutes(quietStart)
  const e = toMinutes(quietEnd)
  if (s === e) return false
  return s < e ? minute >= s && minute < e : minute >= s || minute < e
}

/** Whether a reminder for today may go out now: from the sending hour on, outside quiet hours. */
export function maySendNow(now: Date, prefs: Pick<ReminderPrefs, 'quietStart' | 'quietEnd'>): boolean {
  const minute = chinaMinuteOfDay(now)
  return minute >= SEND_HOUR * 60 && !inQuietHours(minute, prefs.quietStart, prefs.quietEnd)
}

/** 1 = Monday … 7 = Sunday, in China. */
export function chinaIsoWeekday(now: Date): number {
  const d = new Date(now.getTime() + OFFSET_MS).getUTCDay()
  return d === 0 ? 7 : d
}

export interface ReminderPerson {
  id: string
  name: string
  role: Role
  branchId: string | null
  joinedPartyOn: string | null
  /** For 预备期满: 预备党员 without a 转正日期. */
  status?: MemberStatus
  /** The person's organisation (the job serves every organisation of the database). */
  orgId?: string
  fullMemberOn?: string | null
}

export interface Reminder {
  userId: string
  kind: ReminderKind
  /** Idempotency key: one reminder per user, kind and key, ever. */
  key: string
  title: string
  body: string
  url: string
  /** The values an SMS template of this kind may use (SMS text must be a template the provider approved). */
  vars: Record<string, string>
}

export interface SoonMeeting {
  id: string
  topic: string
  startsAt: string
  place: string
  expectedIds: readonly string[]
}

export interface DueInput {
  now: Date
  people: readonly ReminderPerson[]
  prefs: ReadonlyMap<string, ReminderPrefs>
  /** Users who recorded any study this month (China time). */
  studiedThisMonth: ReadonlySet<string>
  /** Meetings not cancelled; those starting tomorrow (China date) are announced. */
  meetings?: readonly SoonMeeting[]
}

const hhmm = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16)

/** Meetings that start tomorrow in China, for one person. */
export function meetingsTomorrow(meetings: readonly SoonMeeting[], personId: string, today: string): SoonMeeting[] {
  const tomorrow = addDays(today, 1)
  return meetings.filter((m) => m.expectedIds.includes(personId) && chinaToday(new Date(m.startsAt)) === tomorrow)
}

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8))}日`

function meetingVars(m: SoonMeeting): Record<string, string> {
  return { topic: m.topic, time: hhmm(m.startsAt), place: m.place }
}

function meetingReminder(m: SoonMeeting): { title: string; body: string; url: string } {
  return {
    title: `明天 ${hhmm(m.startsAt)}：${m.topic}`,
    body: m.place ? `地点：${m.place}。不能参加请提前在应用中请假。` : '不能参加请提前在应用中请假。',
    url: `/meetings/${m.id}`,
  }
}

/** The push reminders due today for everyone, before quiet hours are considered. */
export function dueReminders({ now, people, prefs, studiedThisMonth, meetings = [] }: DueInput): Reminder[] {
  const today = chinaToday(now)
  const out: Reminder[] = []
  const prefsOf = (id: string) => prefs.get(id) ?? DEFAULT_PREFS
  for (const p of people) {
    const nth = politicalBirthdayToday(p.joinedPartyOn, today)
    if (nth !== null && prefsOf(p.id).birthday) {
      out.push({
        userId: p.id,
        kind: 'birthday',
        key: today,
        title: `今天是您的第${nth}个政治生日`,
        body: `${p.name}同志，政治生日快乐！不忘入党初心，重温入党誓词。`,
        url: '/',
        vars: { name: p.name, nth: String(nth) },
      })
    }
  }
  if (chinaIsoWeekday(now) === 1) {
    const byBranch = new Map<string, ReminderPerson[]>()
    for (const p of people) if (p.branchId) byBranch.set(p.branchId, [...(byBranch.get(p.branchId) ?? []), p])
    for (const p of people) {
      if (!appliesTo('branchWeekAhead', p.role) || !prefsOf(p.id).branchWeekAhead) continue
      if (!p.branchId && p.role !== 'admin') continue
      // A secretary's branch; an administrator's whole organisation (as their 首页 lists it).
      const coming = weekAhead(p.role === 'admin' ? people : (byBranch.get(p.branchId ?? '') ?? []), today)
      if (coming.length === 0) continue
      const names = coming.map((c) => `${c.name}（${Number(c.date.slice(5, 7))}月${Number(c.date.slice(8))}日，第${c.nth}个）`)
      out.push({
        userId: p.id,
        kind: 'branchWeekAhead',
        key: today,
        title: `未来七天有${coming.length}位党员过政治生日`,
        body: names.join('、'),
        url: '/',
        vars: { name: p.name, count: String(coming.length), names: coming.map((c) => `${c.name}${monthDay(c.date)}`).join('、') },
      })
    }
  }
  for (const p of people) {
    if (!prefsOf(p.id).meetingTomorrow) continue
    for (const m of meetingsTomorrow(meetings, p.id, today))
      out.push({ userId: p.id, kind: 'meetingTomorrow', key: m.id, ...meetingReminder(m), vars: { name: p.name, ...meetingVars(m) } })
  }
  const day = Number(today.slice(8))
  if (day >= STUDY_GAP_FROM_DAY) {
    for (const p of people) {
      if (!prefsOf(p.id).studyGap || studiedThisMonth.has(p.id)) continue
      out.push({
        userId: p.id,
        kind: 'studyGap',
        key: today.slice(0, 7),
        title: '本月还没有学习记录',
        body: '学过的内容随手记一笔，月底台账自动生成。（可在“我的 › 提醒设置”中关闭）',
        url: '/study/new',
        vars: { name: p.name, month: String(Number(today.slice(5, 7))) },
      })
    }
  }
  return out
}

/** Members whose political birthday falls in the seven days after `today`. */
export function weekAhead(members: readonly ReminderPerson[], today: string): { name: string; date: string; nth: number }[] {
  const out: { name: string; date: string; nth: number }[] = []
  for (const m of members) {
    const tomorrow = addDays(today, 1)
    const next = nextPoliticalBirthday(m.joinedPartyOn, tomorrow)
    if (!next) continue
    const inDays = daysBetween(today, next.date)
    if (inDays >= 1 && inDays <= 7) out.push({ name: m.name, date: next.date, nth: next.nth })
  }
  return out.sort((a, b) => a.date.localeCompare(b.date))
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The most recent political birthday on or before today (for "since you last opened the app"). */
export function lastPoliticalBirthday(joinedOn: string | null, today: string): { date: string; nth: number } | null {
  if (!joinedOn) return null
  const jy = Number(joinedOn.slice(0, 4))
  const ty = Number(today.slice(0, 4))
  for (const year of [ty, ty - 1]) {
    const date = anniversaryIn(joinedOn, year)
    if (year > jy && date <= today) return { date, nth: year - jy }
  }
  return null
}

export interface Notice {
  key: string
  /** A reminder, or an answer to the member's 投诉建议 (features/reminders/notices.ts adds those). */
  kind: ReminderKind | 'feedbackAnswered'
  title: string
  body: string
  url: string
}

export interface NoticeInput {
  now: Date
  me: ReminderPerson
  /** The people the viewer manages, themselves included: a secretary's branch, an administrator's organisation; else empty. */
  branch: readonly ReminderPerson[]
  prefs: ReminderPrefs
  /** China date the app was last opened on this phone; null the first time. */
  lastOpenedOn: string | null
  /** Client time of the oldest change still waiting for the server, if any. */
  oldestUnsyncedAt: string | null
  studiedThisMonth: boolean
  meetings?: readonly SoonMeeting[]
}

/**
 * What the app shows once on open: reminders that fell due since it was last opened. The caller
 * drops keys it has shown before, so nothing nags. Today's own political birthday is not here:
 * 首页 shows its greeting card all day.
 */
export function inAppNotices(i: NoticeInput): Notice[] {
  const today = chinaToday(i.now)
  const out: Notice[] = []
  const last = lastPoliticalBirthday(i.me.joinedPartyOn, today)
  if (i.prefs.birthday && last && last.date < today && i.lastOpenedOn !== null && last.date > i.lastOpenedOn) {
    out.push({
      key: `birthday:${last.date}`,
      kind: 'birthday',
      title: `${Number(last.date.slice(5, 7))}月${Number(last.date.slice(8))}日是您的第${last.nth}个政治生日`,
      body: '不忘入党初心。可在首页或“我的 › 党员信息”中查看入党誓词。',
      url: '/me/party',
    })
  }
  if (i.prefs.branchWeekAhead && appliesTo('branchWeekAhead', i.me.role)) {
    const coming = weekAhead(i.branch, addDays(today, -1))
    if (coming.length > 0) {
      out.push({
        key: `week:${addDays(today, 1 - chinaIsoWeekday(i.now))}`,
        kind: 'branchWeekAhead',
        title: `未来七天有${coming.length}位党员过政治生日`,
        body: coming.map((c) => `${c.name}（${Number(c.date.slice(5, 7))}月${Number(c.date.slice(8))}日）`).join('、'),
        url: '/',
      })
    }
  }
  if (i.prefs.meetingTomorrow) {
    for (const m of meetingsTomorrow(i.meetings ?? [], i.me.id, today))
      out.push({ key: `meeting:${m.id}`, kind: 'meetingTomorrow', ...meetingReminder(m) })
  }
  if (i.prefs.unsynced && i.oldestUnsyncedAt && i.now.getTime() - Date.parse(i.oldestUnsyncedAt) > 24 * 3600_000) {
    out.push({
      key: `unsynced:${today}`,
      kind: 'unsynced',
      title: '有内容超过24小时未同步',
      body: '这些内容目前只保存在本机。请在有网络时打开应用，或到“同步”页查看。',
      url: '/me/sync',
    })
  }
  if (i.prefs.studyGap && !i.studiedThisMonth && Number(today.slice(8)) >= STUDY_GAP_FROM_DAY) {
    out.push({
      key: `studyGap:${today.slice(0, 7)}`,
      kind: 'studyGap',
      title: '本月还没有学习记录',
      body: '学过的内容随手记一笔即可。',
      url: '/study/new',
    })
  }
  return out
}
