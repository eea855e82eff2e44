import { v5 as uuidv5 } from 'uuid'

const ATTENDANCE_NAMESPACE = '6f1c7a52-3c1e-4d55-9d0c-5a3e2f1b8c40'

/**
 * The one attendance row of a member at a meeting has an id derived from both (UUIDv5): every
 * device, the organiser marking by hand and the member scanning all write the same row.
 * (Kept apart from ids.ts so the app shell does not load SHA-1.)
 */
export function attendanceId(meetingId: string, memberId: string): string {
  return uuidv5(`${meetingId}/${memberId}`, ATTENDANCE_NAMESPACE)
}
