import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { YearSection } from '../../../core/contracts/year-report.ts'
import { chinaYearBounds } from '../../../core/domain/china-time.ts'
import {
  MEETING_TYPE_LABELS,
  meetingProgress,
  meetingStats,
  rulesFor,
  type AttendanceStatus,
  type MeetingType,
  type Period,
  type Rule,
} from '../../../core/domain/meetings.ts'
import { yearCompliance, type RuleYear } from '../../../core/domain/year-compliance.ts'

/** The body's meetings of the year (a branch, or the leadership: branchId null), not deleted. */
export async function meetingsOfYear(db: Kysely<Database>, orgId: string, branchId: string | null, year: number) {
  const [from, to] = chinaYearBounds(year)
  let q = db
    .selectFrom('meetings')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('deleted', '=', 0)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
  q = branchId === null ? q.where('branch_id', 'is', null) : q.where('branch_id', '=', branchId)
  return q.orderBy('starts_at').execute()
}

/**
 * 组织生活制度落实: each rule over the year with the periods that fell short (cited), then the
 * meetings held by type, and attendance with 补学 — all from what was recorded.
 */
export async function meetingsSections(
  db: Kysely<Database>,
  orgId: string,
  branchId: string | null,
  year: number,
  rules: readonly Rule[],
  since: string | null,
  now: Date,
): Promise<YearSection[]> {
  const meetings = await meetingsOfYear(db, orgId, branchId, year)
  const held = meetings.filter((m) => Date.parse(m.starts_at) <= now.getTime())
  const kept = yearCompliance(
    rulesFor(rules, branchId),
    held.map((m) => ({ type: m.type, startsAt: m.starts_at })),
    year,
    now,
    since,
  )
  const rulesSection: YearSection = {
    title: '组织生活制度落实',
    facts: kept.map((r) => ({
      label: MEETING_TYPE_LABELS[r.rule.type],
      value: ruleValue(r),
      note: r.cite,
    })),
  }
  const byType = new Map<MeetingType, number>()
  for (const m of held) byType.set(m.type, (byType.get(m.type) ?? 0) + 1)
  const ids = held.map((m) => m.id)
  const attendance = ids.length
    ? await db.selectFrom('attendance').select(['meeting_id', 'member_id', 'status']).where('meeting_id', 'in', ids).execute()
    : []
  const makeups = ids.length
    ? await db.selectFrom('makeups').select(['confirmed_at']).where('meeting_id', 'in', ids).where('deleted', '=', 0).execute()
    : []
  const totals = { expected: 0, present: 0, leave: 0, absent: 0 }
  for (const m of held) {
    const closed = meetingProgress({ startsAt: m.starts_at, durationMinutes: Number(m.duration_minutes) }, now.getTime()) === 'closed'
    const s = meetingStats(
      JSON.parse(m.expected_ids) as string[],
      attendance.filter((a) => a.meeting_id === m.id).map((a) => ({ memberId: a.member_id, status: a.status as AttendanceStatus | null })),
      closed,
    )
    totals.expected += s.expected
    totals.present += s.present
    totals.leave += s.leave
    totals.absent += s.absent
  }
  const confirmed = makeups.filter((x) => x.confirmed_at !== null).length
  const attendanceSection: YearSection = {
    title: '会议与出勤',
    facts: [
      {
        label: '召开会议',
        value: held.length === 0 ? '本年度尚未召开会议' : `${held.length} 次`,
        note: [...byType].map(([t, n]) => `${MEETING_TYPE_LABELS[t]} ${n} 次`).join('，'),
      },
      { label: '应到', value: `${totals.expected} 人次` },
      { label: '实到', value: `${totals.present} 人次` },
      { label: '请假', value: `${totals.leave} 人次` },
      { label: '缺席', value: `${totals.absent} 人次` },
      { label: '补学', value: `${makeups.length} 人次`, note: `书记已确认 ${confirmed} 人次` },
    ],
  }
  return [rulesSection, attendanceSection]
}

const UNIT: Record<Period, string> = { month: '个月', quarter: '个季度', year: '年' }
const CURRENT: Record<Period, string> = { month: '本月', quarter: '本季度', year: '本年度' }

/** "已结束的 10 个月均达到要求，共召开 10 次" / "未达要求：3月；共召开 9 次" / "本年度尚未结束，已召开 0 次". */
export function ruleValue(r: RuleYear): string {
  const total = r.periods.reduce((t, p) => t + p.held, 0)
  if (r.periods.length === 0) return '本年度尚无须召开的期间'
  if (r.short.length > 0) return `未达要求：${r.short.join('、')}；共召开 ${total} 次`
  const finished = r.periods.filter((p) => p.finished).length
  const current = r.periods.find((p) => !p.finished)
  const now = current ? `${CURRENT[r.rule.period]}${current.met ? '已达到' : '尚未达到'}` : ''
  if (finished === 0) return `${CURRENT[r.rule.period]}尚未结束，已召开 ${total} 次`
  if (r.rule.period === 'year') return `已达到要求；共召开 ${total} 次`
  return `已结束的 ${finished} ${UNIT[r.rule.period]}均达到要求${now ? `，${now}` : ''}；共召开 ${total} 次`
}
