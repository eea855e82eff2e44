import type { Selectable } from 'kysely'
import type { AttendanceTable } from '../../db/schema.ts'
import { attendanceWriteFields, type Attendance } from '../../../core/schemas/entities.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { REFUSAL_TEXT, verifySignIn } from '../../../core/domain/sign-in-token.ts'
import { managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parse, refuseField, writableTable, type Apply, type Scope } from '../table-module.ts'
import { meetingRecords } from './scopes.ts'

/** Attendance: one's own; the meeting's branch for its secretary; everything for administrators. */
export function attendanceScope(v: Viewer): Scope<'attendance'> {
  return meetingRecords(v)
}

export function attendanceToWire(r: Selectable<AttendanceTable>): Attendance {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    meetingId: r.meeting_id,
    memberId: r.member_id,
    status: r.status,
    method: r.method,
    signedAt: r.signed_at,
    leaveReason: r.leave_reason,
    leaveState: r.leave_state,
    markedBy: r.marked_by,
    note: r.note,
    updatedAt: r.updated_at,
  }
}

/** Row fields a client may echo (its local expectation); the server decides them itself. */
const ECHOED = new Set([
  'status',
  'method',
  'signedAt',
  'leaveState',
  'leaveReason',
  'markedBy',
  'note',
  'branchId',
  'orgId',
  'updatedAt',
  'id',
])
const INTENTS = ['scan', 'leaveReason', 'leaveState', 'status'] as const

/**
 * Who may write their own attendance intents for a meeting. A leave request only from those
 * expected at it. A sign-in also from members of the meeting's own branch who were not on the
 * list (列席, shown so on the roll and in the ledger) and from those who manage the meeting; never
 * from a member of another branch (or, for the leadership's meetings, anyone) not expected.
 */
const NOT_EXPECTED = {
  scan: '您不是这次会议的应到人员，也不属于召开会议的党支部，不能签到',
  leave: '您不是这次会议的应到人员，无需请假',
} as const

function isExpected(meeting: { expected_ids: string }, personId: string): boolean {
  return (JSON.parse(meeting.expected_ids) as string[]).includes(personId)
}

const field = <K extends keyof typeof attendanceWriteFields>(name: K, value: unknown) => parse(attendanceWriteFields[name], value)

/**
 * One attendance row per member and meeting (its id derived from both), written by:
 * - the member: a sign-in with the meeting's code (`scan`), verified here however late it
 *   arrives, or a leave request (`leaveReason`) before the meeting starts;
 * - whoever manages the meeting: a mark by hand (`status`) or a leave decision (`leaveState`).
 * Precedence (docs/sync.md): a verified scan is proof of presence and is never overwritten by a
 * hand mark of leave or absence; otherwise the last write the server applies wins. A repeated
 * scan keeps the first sign-in time.
 */
export const applyAttendanceMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op === 'delete') throw new HttpError(422, 'validation', '出勤记录不能删除，可改为请假或缺席')
  const fields = m.fields ?? {}
  const meetingId = field('meetingId', fields.meetingId)
  const memberId = field('memberId', fields.memberId)
  if (m.rowId !== attendanceId(meetingId, memberId)) throw new HttpError(422, 'validation', '出勤记录编号与会议、人员不符')
  for (const key of Object.keys(fields)) {
    if (key !== 'meetingId' && key !== 'memberId' && key !== 'scan' && !ECHOED.has(key)) refuseField(key)
  }
  const meeting = await trx
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where('org_id', '=', viewer.orgId)
    .executeTakeFirst()
  // A meeting the server has not received yet (the organiser's phone is still offline, or is
  // refilling a restored server): the phone keeps the sign-in and sends it again later.
  if (!meeting) throw new HttpError(409, 'waiting', '会议还没有同步到服务器，联网后会自动重试')
  if (meeting.deleted === 1) throw new HttpError(404, 'not_found', '会议已取消')
  const manages = managesBranch(viewer, meeting.branch_id)
  const self = memberId === viewer.id
  const expected = isExpected(meeting, viewer.id)
  const existing = await trx.selectFrom('attendance').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const intent = INTENTS.find((k) => k in fields)
  const now = nowIso()
  let set: Partial<Selectable<AttendanceTable>>

  if (intent === 'scan') {
    const scan = field('scan', fields.scan)
    const ownBranch = meeting.branch_id !== null && meeting.branch_id === viewer.branchId
    if (self && !expected && !ownBranch && !manages) throw new HttpError(403, 'forbidden', NOT_EXPECTED.scan)
    const refusal = await verifySignIn(
      { meetingId, memberId, ...scan },
      meeting.sign_key,
      { id: meeting.id, startsAt: meeting.starts_at, durationMinutes: Number(meeting.duration_minutes) },
      viewer.id,
    )
    if (refusal)
      throw new HttpError(
        refusal === 'wrong_member' ? 403 : 422,
        refusal === 'wrong_member' ? 'forbidden' : 'validation',
        REFUSAL_TEXT[refusal],
      )
    // Already signed in (another phone, a retry): nothing changes, but the row is sent out again so
    // the writer's phone replaces its own version (its own scan time) with the server's.
    if (existing?.status === 'present' && existing.method === 'scan') return seqs.mark('attendance', m.rowId)
    set = { status: 'present', method: 'scan', signed_at: new Date(scan.scannedAt).toISOString(), marked_by: null }
  } else if (intent === 'leaveReason') {
    if (!self) throw new HttpError(403, 'forbidden', '只能为本人请假')
    if (!expected) throw new HttpError(403, 'forbidden', NOT_EXPECTED.leave)
    const reason = field('leaveReason', fields.leaveReason)
    if (Date.parse(m.clientTime) >= Date.parse(meeting.starts_at) || Number.isNaN(Date.parse(m.clientTime)))
      throw new HttpError(422, 'validation', '会议开始后不能再请假，请联系党支部书记')
    if (existing?.status === 'present') throw new HttpError(409, 'conflict', '您已签到，无需请假')
    set = { leave_reason: reason, leave_state: 'requested' }
  } else if (intent === 'leaveState') {
    if (!manages) throw new HttpError(403, 'forbidden', '只有党支部书记可以审批请假')
    const decision = field('leaveState', fields.leaveState)
    if (!existing?.leave_state) throw new HttpError(409, 'conflict', '该党员没有请假申请')
    if (existing.status === 'present' && existing.method === 'scan') throw new HttpError(409, 'conflict', '该党员已扫码签到')
    set =
      decision === 'approved'
        ? { leave_state: 'approved', status: 'leave', method: 'manual', marked_by: viewer.id }
        : { leave_state: 'declined', status: existing.status === 'leave' ? null : existing.status }
  } else if (intent === 'status') {
    if (!manages) throw new HttpError(403, 'forbidden', '只有会议组织者可以登记出勤')
    const person = await trx
      .selectFrom('users')
      .select('id')
      .where('id', '=', memberId)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!person) throw new HttpError(422, 'validation', '登记的人员不属于本组织')
    const status = field('status', fields.status)
    const note = fields.note === undefined ? (existing?.note ?? '') : field('note', fields.note)
    if (existing?.status === 'present' && existing.method === 'scan') {
      if (status === 'present') return seqs.mark('attendance', m.rowId)
      throw new HttpError(409, 'conflict', '该党员已扫码签到，不能改为请假或缺席')
    }
    set = { status, method: 'manual', signed_at: status === 'present' ? (existing?.signed_at ?? now) : null, marked_by: viewer.id, note }
  } else {
    throw new HttpError(422, 'validation', '没有要登记的内容')
  }

  if (existing) {
    await trx
      .updateTable('attendance')
      .set({ ...set, updated_at: now, seq: 0 })
      .where('id', '=', m.rowId)
      .execute()
  } else {
    await trx
      .insertInto('attendance')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: meeting.branch_id,
        meeting_id: meetingId,
        member_id: memberId,
        status: null,
        method: null,
        signed_at: null,
        leave_reason: '',
        leave_state: null,
        marked_by: null,
        note: '',
        ...set,
        updated_at: now,
        seq: 0,
      })
      .execute()
  }
  seqs.mark('attendance', m.rowId)
}

export const attendance = writableTable({
  table: 'attendance',
  read: (db, viewer) => db.selectFrom('attendance').selectAll().where(attendanceScope(viewer)),
  toWire: (rows) => rows.map(attendanceToWire),
  apply: applyAttendanceMutation,
})
