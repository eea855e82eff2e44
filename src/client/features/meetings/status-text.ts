/** Where a member stands with a meeting (the meetings store works it out). */
export type MyStatus = 'present' | 'leave' | 'leave-requested' | 'leave-declined' | 'absent' | 'upcoming' | 'missing'
import type { Meeting } from '../../../core/schemas/entities.ts'
import { formatChinaDateTime } from '../../../core/domain/china-time.ts'
import { signInClosesAt, signInOpensAt, type SignInPhase } from '../../../core/domain/sign-in-token.ts'

export const MY_STATUS_TEXT: Record<MyStatus, string> = {
  present: '已签到',
  leave: '已请假',
  'leave-requested': '请假待审批',
  'leave-declined': '请假未批准',
  absent: '缺席',
  upcoming: '待参加',
  missing: '未签到',
}

/** "11月28日 星期六 14:30" style, in China time. */
export const when = (iso: string): string => formatChinaDateTime(new Date(iso)).replace(/^\d{4}年/, '')

const atMs = (ms: number): string => when(new Date(ms).toISOString())
/** "14:30" in China time. */
export const clockTime = (ms: number): string => atMs(ms).slice(-5)

type Timed = Pick<Meeting, 'startsAt' | 'durationMinutes'>

/** When the meeting's codes are taken: "11月30日 13:30 至 17:00" (the date again only if the end falls on another day). */
export function signInWindowText(m: Timed): string {
  const opens = atMs(signInOpensAt(m))
  const closes = atMs(signInClosesAt(m))
  return `${opens} 至 ${closes.slice(0, -5) === opens.slice(0, -5) ? closes.slice(-5) : closes}`
}

/** Why a code of the meeting is not taken now, and when it is (what the code page and the member's phone say). */
export function signInClosedText(m: Timed, phase: Exclude<SignInPhase, 'open'>): string {
  return phase === 'before'
    ? `签到尚未开始：会前 1 小时起可以签到（${atMs(signInOpensAt(m))} 起）`
    : `签到已结束（${atMs(signInClosesAt(m))} 止，会后 1 小时）。已参会但没有签到的，请会议组织者手工登记。`
}
