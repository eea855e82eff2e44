import type { Attendance, Makeup, Meeting } from '../../../core/schemas/entities.ts'
import type { AccountDb } from '../../db/account-db.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { isManager, managesBranch } from '../../../core/domain/authority.ts'

/**
 * What waits for the organiser: leave requests to approve and 补学 to confirm, in the meetings
 * the viewer manages (their branch's; every one for administrators), never their own.
 */
export interface PendingWork {
  leave: { meeting: Meeting; row: Attendance }[]
  makeups: { meeting: Meeting; makeup: Makeup }[]
}

const manages = (user: Pick<SessionUser, 'role' | 'branchId'>, branchId: string | null): boolean => managesBranch(user, branchId)

export function pendingWork(
  user: Pick<SessionUser, 'id' | 'role' | 'branchId'> | null,
  meetings: readonly Meeting[],
  attendance: readonly Attendance[],
  makeups: readonly Makeup[],
): PendingWork {
  if (!user || !isManager(user.role)) return { leave: [], makeups: [] }
  const byId = new Map(meetings.filter((m) => !m.deleted && manages(user, m.branchId)).map((m) => [m.id, m]))
  const leave = attendance.flatMap((row) => {
    const meeting = byId.get(row.meetingId)
    return meeting && row.leaveState === 'requested' && row.memberId !== user.id ? [{ meeting, row }] : []
  })
  const open = makeups.flatMap((makeup) => {
    const meeting = byId.get(makeup.meetingId)
    return meeting && !makeup.deleted && !makeup.confirmedAt && makeup.memberId !== user.id ? [{ meeting, makeup }] : []
  })
  const byStart = (a: { meeting: Meeting }, b: { meeting: Meeting }) => a.meeting.startsAt.localeCompare(b.meeting.startsAt)
  return { leave: leave.sort(byStart), makeups: open.sort(byStart) }
}

/** How many of each wait on this phone (首页: read straight from IndexedDB, without the meetings code). */
export async function pendingCounts(db: AccountDb, user: SessionUser | null): Promise<{ leave: number; makeups: number }> {
  if (!user || !isManager(user.role)) return { leave: 0, makeups: 0 }
  const leaveRows = await db.attendance.filter((a) => a.leaveState === 'requested').toArray()
  const openMakeups = await db.makeups.filter((x) => !x.deleted && !x.confirmedAt).toArray()
  const ids = [...new Set([...leaveRows.map((a) => a.meetingId), ...openMakeups.map((x) => x.meetingId)])]
  const meetings = (await db.meetings.bulkGet(ids)).filter((m): m is Meeting => m !== undefined)
  const work = pendingWork(user, meetings, leaveRows, openMakeups)
  return { leave: work.leave.length, makeups: work.makeups.length }
}
