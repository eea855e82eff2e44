import * as v from 'valibot'
import { meetingFields, type Attendance, type Makeup, type Meeting } from '../../../core/schemas/entities.ts'
import { newId } from '../../../core/ids.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { newMeetingKey, parseSignInLink, REFUSAL_TEXT, SCAN_GRACE_MS, signInPhase, WINDOW_MS } from '../../../core/domain/sign-in-token.ts'
import { signInClosedText } from './status-text.ts'
import type { AttendanceStatus } from '../../../core/domain/meetings.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeBatch, writeRow } from '../../db/write.ts'
import type { CompressedPhoto } from '../../photos/compress.ts'
import { pendingPhotoRows } from '../../photos/photos.repo.ts'

/** Everything here writes offline through the one write path; the server decides when it syncs. */

const MeetingInput = v.object(meetingFields)
export type MeetingInput = Omit<v.InferInput<typeof MeetingInput>, 'createdAt'>

function check(input: unknown): v.InferOutput<typeof MeetingInput> {
  const r = v.safeParse(MeetingInput, input)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, MeetingInput))
  return r.output
}

export async function createMeeting(db: AccountDb, user: SessionUser, input: MeetingInput): Promise<Meeting> {
  const fields = check({ ...input, createdAt: new Date().toISOString() })
  const signKey = newMeetingKey()
  const row: Meeting = { id: newId(), orgId: user.orgId, ...fields, signKey, updatedAt: fields.createdAt, deleted: false }
  await writeRow(db, 'meetings', row, { ...fields, signKey })
  return row
}

export async function updateMeeting(db: AccountDb, id: string, patch: Partial<MeetingInput>): Promise<void> {
  const current = await db.meetings.get(id)
  if (!current) throw new ValidationError('会议不存在')
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([k, val]) => JSON.stringify(current[k as keyof Meeting]) !== JSON.stringify(val)),
  )
  if (Object.keys(changed).length === 0) return
  const Patch = v.partial(MeetingInput)
  const r = v.safeParse(Patch, changed)
  if (!r.success) throw new ValidationError(issuesToMessage(r.issues, Patch))
  await writeRow(db, 'meetings', { ...current, ...r.output, updatedAt: new Date().toISOString() }, r.output)
}

export async function cancelMeeting(db: AccountDb, id: string): Promise<void> {
  await deleteRow(db, 'meetings', id)
}

function baseRow(
  user: Pick<SessionUser, 'orgId'>,
  meeting: Pick<Meeting, 'id' | 'branchId'> | { id: string; branchId: null },
  memberId: string,
  existing?: Attendance,
): Attendance {
  return (
    existing ?? {
      id: attendanceId(meeting.id, memberId),
      orgId: user.orgId,
      branchId: meeting.branchId,
      meetingId: meeting.id,
      memberId,
      status: null,
      method: null,
      signedAt: null,
      leaveReason: '',
      leaveState: null,
      markedBy: null,
      note: '',
      updatedAt: new Date().toISOString(),
    }
  )
}

export interface SignInResult {
  meetingId: string
  /** When this member's sign-in was taken (the first one, if they had signed in already). */
  signedAt: string
  /** They had signed in to this meeting before: nothing new was saved. */
  already: boolean
}

/**
 * Sign in with the code scanned from the organiser's phone: saved at once, with no network on
 * either phone. A code far from this phone's clock (a screenshot passed on later) is refused here
 * already, and so is a code outside the meeting's sign-in time when the phone knows the meeting;
 * the server checks the signature when the sign-in arrives. `now`: the server's time as far as
 * this phone knows it (clock.store).
 */
export async function signInWithCode(db: AccountDb, user: SessionUser, text: string, now = Date.now()): Promise<SignInResult> {
  const code = parseSignInLink(text)
  if (!code) throw new ValidationError('这不是党建随行的签到码')
  const start = code.window * WINDOW_MS
  if (now < start - SCAN_GRACE_MS || now > start + WINDOW_MS + SCAN_GRACE_MS) throw new ValidationError(REFUSAL_TEXT.expired)
  const known = await db.meetings.get(code.meetingId)
  if (known?.deleted) throw new ValidationError('这次会议已取消')
  if (known) {
    const phase = signInPhase(known, start)
    if (phase !== 'open') throw new ValidationError(signInClosedText(known, phase))
  }
  const meeting = known ?? { id: code.meetingId, branchId: null }
  const id = attendanceId(code.meetingId, user.id)
  const existing = await db.attendance.get(id)
  if (existing?.status === 'present' && existing.method === 'scan')
    return { meetingId: code.meetingId, signedAt: existing.signedAt ?? new Date(now).toISOString(), already: true }
  const scannedAt = new Date(now).toISOString()
  const row: Attendance = {
    ...baseRow(user, meeting, user.id, existing),
    status: 'present',
    method: 'scan',
    signedAt: scannedAt,
    updatedAt: scannedAt,
  }
  await writeRow(db, 'attendance', row, {
    meetingId: code.meetingId,
    memberId: user.id,
    scan: { window: code.window, token: code.token, scannedAt },
    status: 'present',
    method: 'scan',
    signedAt: scannedAt,
  })
  return { meetingId: code.meetingId, signedAt: scannedAt, already: false }
}

export async function requestLeave(db: AccountDb, user: SessionUser, meeting: Meeting, reason: string): Promise<void> {
  const text = reason.trim()
  if (!text) throw new ValidationError('请填写请假事由')
  if (Date.now() >= Date.parse(meeting.startsAt)) throw new ValidationError('会议开始后不能再请假，请联系党支部书记')
  const existing = await db.attendance.get(attendanceId(meeting.id, user.id))
  const row: Attendance = {
    ...baseRow(user, meeting, user.id, existing),
    leaveReason: text,
    leaveState: 'requested',
    updatedAt: new Date().toISOString(),
  }
  await writeRow(db, 'attendance', row, { meetingId: meeting.id, memberId: user.id, leaveReason: text, leaveState: 'requested' })
}

/** The organiser marks a member by hand (no phone, or forgot it). A verified scan is never overridden. */
export async function markAttendance(
  db: AccountDb,
  user: SessionUser,
  meeting: Meeting,
  memberId: string,
  status: AttendanceStatus,
): Promise<void> {
  const existing = await db.attendance.get(attendanceId(meeting.id, memberId))
  if (existing?.method === 'scan' && existing.status === 'present') {
    if (status === 'present') return
    throw new ValidationError('该党员已扫码签到，不能改为请假或缺席')
  }
  const now = new Date().toISOString()
  const row: Attendance = {
    ...baseRow(user, meeting, memberId, existing),
    status,
    method: 'manual',
    markedBy: user.id,
    signedAt: status === 'present' ? (existing?.signedAt ?? now) : null,
    updatedAt: now,
  }
  await writeRow(db, 'attendance', row, { meetingId: meeting.id, memberId, status, method: 'manual' })
}

export async function decideLeave(
  db: AccountDb,
  user: SessionUser,
  meeting: Meeting,
  memberId: string,
  decision: 'approved' | 'declined',
): Promise<void> {
  const existing = await db.attendance.get(attendanceId(meeting.id, memberId))
  if (!existing?.leaveState) throw new ValidationError('该党员没有请假申请')
  const row: Attendance = {
    ...existing,
    leaveState: decision,
    ...(decision === 'approved' ? { status: 'leave' as const, method: 'manual' as const, markedBy: user.id } : {}),
    updatedAt: new Date().toISOString(),
  }
  await writeRow(db, 'attendance', row, { meetingId: meeting.id, memberId, leaveState: decision })
}

export async function fileMakeup(
  db: AccountDb,
  user: SessionUser,
  meeting: Meeting,
  input: { content: string; date: string; notes: string },
): Promise<void> {
  const content = input.content.trim()
  if (!content) throw new ValidationError('请填写补学内容')
  const createdAt = new Date().toISOString()
  const row: Makeup = {
    id: newId(),
    orgId: user.orgId,
    branchId: meeting.branchId,
    memberId: user.id,
    meetingId: meeting.id,
    content,
    date: input.date,
    notes: input.notes,
    createdAt,
    confirmedBy: null,
    confirmedAt: null,
    updatedAt: createdAt,
    deleted: false,
  }
  await writeRow(db, 'makeups', row, { meetingId: meeting.id, content, date: input.date, notes: input.notes, createdAt })
}

export async function confirmMakeup(db: AccountDb, user: SessionUser, makeupId: string): Promise<void> {
  const existing = await db.makeups.get(makeupId)
  if (!existing) throw new ValidationError('补学记录不存在')
  const now = new Date().toISOString()
  await writeRow(db, 'makeups', { ...existing, confirmedBy: user.id, confirmedAt: now, updatedAt: now }, { confirmed: true })
}

/** Photos of a meeting, in one transaction: kept on the phone, listed on the meeting; uploaded in the background. */
export async function addMeetingPhotos(db: AccountDb, meetingId: string, photos: CompressedPhoto[]): Promise<void> {
  const current = await db.meetings.get(meetingId)
  if (!current) throw new ValidationError('会议不存在')
  const createdAt = new Date().toISOString()
  const ids = photos.map(() => newId())
  const photoIds = [...current.photoIds, ...ids]
  await writeBatch(
    db,
    ['meetings'],
    async (w) => {
      await db.photo_blobs.bulkAdd(pendingPhotoRows({ kind: 'meetings', id: meetingId }, photos, ids, createdAt))
      await w.put('meetings', { ...current, photoIds, updatedAt: createdAt }, { photoIds })
    },
    [db.photo_blobs],
  )
}
