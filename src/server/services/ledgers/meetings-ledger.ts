import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import {
  ATTENDANCE_LABELS,
  blankMinutes,
  MEETING_PROGRESS_LABELS,
  MEETING_TYPE_LABELS,
  meetingProgress,
  meetingStats,
  TALK_KIND_LABELS,
  type AttendanceStatus,
  type MeetingType,
  type TalkKind,
} from '../../../core/domain/meetings.ts'
import { chinaYearBounds } from '../../../core/domain/china-time.ts'
import { cellDay, chinaCellTime, titledSheet, wrapColumns } from './workbook.ts'

const LEAVE_LABELS: Record<string, string> = { requested: '待审批', approved: '已批准', declined: '未批准' }

/**
 * The ledger (台账) of a branch (or of the leadership, branchId null) for one year, built only
 * from what was recorded: one sheet of meetings with their numbers and 补学, one of attendance,
 * one of make-up study beside the absences it makes up for. Each sheet has a title row (unit,
 * year), prints landscape and keeps dates as dates. A meeting whose sign-in window has not closed
 * yet is 未召开 or 进行中: nobody unmarked is absent from it and it has no attendance rate.
 */
export async function ledgerWorkbook(
  db: Kysely<Database>,
  orgId: string,
  branchId: string | null,
  year: number,
  title: string,
  now = Date.now(),
): Promise<Buffer> {
  const [from, to] = chinaYearBounds(year)
  let q = db
    .selectFrom('meetings')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('deleted', '=', 0)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
  q = branchId === null ? q.where('branch_id', 'is', null) : q.where('branch_id', '=', branchId)
  const meetings = await q.orderBy('starts_at').execute()
  const ids = meetings.map((m) => m.id)
  const attendance = ids.length ? await db.selectFrom('attendance').selectAll().where('meeting_id', 'in', ids).execute() : []
  const makeups = ids.length
    ? await db.selectFrom('makeups').selectAll().where('meeting_id', 'in', ids).where('deleted', '=', 0).execute()
    : []
  const people = new Map(
    (await db.selectFrom('users').select(['id', 'name']).where('org_id', '=', orgId).execute()).map((u) => [u.id, u.name]),
  )
  const name = (id: string | null) => (id ? (people.get(id) ?? '') : '')

  const wb = new ExcelJS.Workbook()
  wb.creator = '党建随行'
  wb.title = title
  const sheet1 = titledSheet(wb, '会议', `${title}（会议）`, [
    { header: '日期时间', key: 'at', width: 17, date: 'time' },
    { header: '类型', key: 'type', width: 14 },
    { header: '主题', key: 'topic', width: 28 },
    { header: '地点', key: 'place', width: 12 },
    { header: '组织者', key: 'organiser', width: 9 },
    { header: '主讲人', key: 'speaker', width: 9 },
    { header: '应到', key: 'expected', width: 6 },
    { header: '实到', key: 'present', width: 6 },
    { header: '请假', key: 'leave', width: 6 },
    { header: '缺席', key: 'absent', width: 6 },
    { header: '出席率', key: 'rate', width: 7 },
    { header: '缺席及原因', key: 'missing', width: 24 },
    { header: '补学', key: 'makeups', width: 20 },
    { header: '会议记录', key: 'minutes', width: 48 },
  ])
  const sheet2 = titledSheet(wb, '出勤', `${title}（出勤）`, [
    { header: '会议日期', key: 'at', width: 17, date: 'time' },
    { header: '会议', key: 'topic', width: 30 },
    { header: '姓名', key: 'name', width: 10 },
    { header: '出勤', key: 'status', width: 10 },
    { header: '签到方式', key: 'method', width: 10 },
    { header: '签到时间', key: 'signedAt', width: 17, date: 'time' },
    { header: '请假事由', key: 'reason', width: 24 },
    { header: '请假审批', key: 'leave', width: 10 },
    { header: '补学', key: 'makeup', width: 10 },
  ])
  const sheet3 = titledSheet(wb, '补学', `${title}（补学）`, [
    { header: '会议日期', key: 'at', width: 17, date: 'time' },
    { header: '会议', key: 'topic', width: 30 },
    { header: '姓名', key: 'name', width: 10 },
    { header: '原出勤', key: 'status', width: 8 },
    { header: '补学内容', key: 'content', width: 30 },
    { header: '补学日期', key: 'date', width: 12, date: 'day' },
    { header: '心得', key: 'notes', width: 40 },
    { header: '确认人', key: 'confirmedBy', width: 10 },
    { header: '确认时间', key: 'confirmedAt', width: 17, date: 'time' },
  ])
  for (const m of meetings) {
    const expected = JSON.parse(m.expected_ids) as string[]
    const rows = attendance.filter((a) => a.meeting_id === m.id)
    const byMember = new Map(rows.map((a) => [a.member_id, a]))
    const progress = meetingProgress({ startsAt: m.starts_at, durationMinutes: m.duration_minutes }, now)
    const closed = progress === 'closed'
    const stats = meetingStats(
      expected,
      rows.map((a) => ({ memberId: a.member_id, status: a.status as AttendanceStatus | null })),
      closed,
    )
    const missing = expected
      .filter((id) => byMember.get(id)?.status !== 'present' && (closed || !!byMember.get(id)?.status))
      .map((id) => {
        const a = byMember.get(id)
        return a?.status === 'leave' ? `${name(id)}（请假：${a.leave_reason || '未填事由'}）` : `${name(id)}（缺席）`
      })
    const madeUp = makeups.filter((x) => x.meeting_id === m.id)
    sheet1.addRow({
      at: chinaCellTime(m.starts_at),
      type: talkLabel(m, name),
      topic: m.topic,
      place: m.place,
      organiser: name(m.organiser_id),
      speaker: m.speaker,
      ...stats,
      rate: stats.rate === null ? MEETING_PROGRESS_LABELS[progress] : `${Math.round(stats.rate * 100)}%`,
      missing: missing.join('；'),
      makeups: madeUp.map((x) => `${name(x.member_id)}（${x.confirmed_at ? '已确认' : '待确认'}）`).join('；'),
      // The template's headings alone are not minutes: left empty rather than exported as if written.
      // A 谈心谈话's notes belong to the two who talked: the ledger shows only that it happened.
      minutes:
        m.type === 'heart_talk' ? (blankMinutes(m.minutes) ? '' : '（谈话记录仅谈话双方可见）') : blankMinutes(m.minutes) ? '' : m.minutes,
    })
    for (const id of [...expected, ...rows.map((a) => a.member_id).filter((x) => !expected.includes(x))]) {
      const a = byMember.get(id)
      const status = (a?.status ?? 'absent') as AttendanceStatus
      const made = madeUp.find((x) => x.member_id === id)
      sheet2.addRow({
        at: chinaCellTime(m.starts_at),
        topic: m.topic,
        name: name(id),
        status:
          (a?.status || closed ? ATTENDANCE_LABELS[status] : MEETING_PROGRESS_LABELS[progress]) + (expected.includes(id) ? '' : '（列席）'),
        method: a?.method === 'scan' ? '扫码' : a?.method === 'manual' ? '登记' : '',
        signedAt: chinaCellTime(a?.signed_at ?? null),
        reason: a?.leave_reason ?? '',
        leave: a?.leave_state ? (LEAVE_LABELS[a.leave_state] ?? '') : '',
        makeup: made ? (made.confirmed_at ? '已补学' : '待确认') : '',
      })
    }
    for (const x of madeUp) {
      sheet3.addRow({
        at: chinaCellTime(m.starts_at),
        topic: m.topic,
        name: name(x.member_id),
        status: ATTENDANCE_LABELS[(byMember.get(x.member_id)?.status ?? 'absent') as AttendanceStatus],
        content: x.content,
        date: cellDay(x.date),
        notes: x.notes,
        confirmedBy: name(x.confirmed_by),
        confirmedAt: chinaCellTime(x.confirmed_at),
      })
    }
  }
  wrapColumns(sheet1, ['topic', 'missing', 'makeups', 'minutes'])
  wrapColumns(sheet3, ['content', 'notes'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** The type column: a 谈心谈话 also says its kind and with whom (the organiser is the other of the two). */
function talkLabel(
  m: { type: MeetingType; talk_kind: TalkKind | null; talk_with_id: string | null },
  name: (id: string) => string,
): string {
  const label = MEETING_TYPE_LABELS[m.type] ?? m.type
  if (m.type !== 'heart_talk') return label
  const kind = m.talk_kind ? `·${TALK_KIND_LABELS[m.talk_kind]}` : ''
  return `${label}${kind}${m.talk_with_id ? `（与${name(m.talk_with_id)}）` : ''}`
}
