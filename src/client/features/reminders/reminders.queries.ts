import { DEFAULT_PREFS, type ReminderPrefs } from '../../../core/domain/reminders.ts'
import type { AccountDb } from '../../db/account-db.ts'

/** The person's reminder settings as kept on this phone (defaults until first changed). Light: no validators. */
export async function readReminderPrefs(db: AccountDb, userId: string): Promise<ReminderPrefs> {
  const row = await db.reminder_settings.get(userId)
  if (!row) return DEFAULT_PREFS
  const { birthday, branchWeekAhead, studyGap, unsynced, quietStart, quietEnd } = row
  // Rows synced before this setting existed lack it: the default applies.
  return {
    birthday,
    branchWeekAhead,
    meetingTomorrow: row.meetingTomorrow ?? DEFAULT_PREFS.meetingTomorrow,
    studyGap,
    unsynced,
    quietStart,
    quietEnd,
    channels: row.channels ?? DEFAULT_PREFS.channels,
  }
}
