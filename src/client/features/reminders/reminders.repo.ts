import * as v from 'valibot'
import { reminderSettingsFields, type ReminderSettings } from '../../../core/schemas/entities.ts'
import { DEFAULT_PREFS, type ReminderPrefs } from '../../../core/domain/reminders.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { writeRow } from '../../db/write.ts'

export class ReminderPrefsError extends Error {}

const Patch = v.partial(v.strictObject(reminderSettingsFields))

export async function readReminderPrefs(db: AccountDb, userId: string): Promise<ReminderPrefs> {
  const row = await db.reminder_settings.get(userId)
  if (!row) return DEFAULT_PREFS
  const { birthday, branchWeekAhead, studyGap, unsynced, quietStart, quietEnd } = row
  return { birthday, branchWeekAhead, studyGap, unsynced, quietStart, quietEnd }
}

/** Change some of the person's reminder settings, offline, through the one write path. Only the changed fields travel. */
export async function saveReminderPrefs(db: AccountDb, user: Pick<SessionUser, 'id' | 'orgId'>, patch: Partial<ReminderPrefs>): Promise<void> {
  const parsed = v.safeParse(Patch, patch)
  if (!parsed.success) throw new ReminderPrefsError(issuesToMessage(parsed.issues))
  const current = await readReminderPrefs(db, user.id)
  const row: ReminderSettings = { id: user.id, orgId: user.orgId, ...current, ...parsed.output, updatedAt: new Date().toISOString() }
  await writeRow(db, 'reminder_settings', row, { ...parsed.output })
}
