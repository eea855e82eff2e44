import * as v from 'valibot'
import { reminderSettingsFields, type ReminderSettings } from '../../../core/schemas/entities.ts'
import type { ReminderPrefs } from '../../../core/domain/reminders.ts'
import { readReminderPrefs } from './reminders.queries.ts'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { writeRow } from '../../db/write.ts'

export class ReminderPrefsError extends Error {}

const Patch = v.partial(v.strictObject(reminderSettingsFields))

/** Change some of the person's reminder settings, offline, through the one write path. Only the changed fields travel. */
export async function saveReminderPrefs(
  db: AccountDb,
  user: Pick<SessionUser, 'id' | 'orgId'>,
  patch: Partial<ReminderPrefs>,
): Promise<void> {
  const parsed = v.safeParse(Patch, patch)
  if (!parsed.success) throw new ReminderPrefsError(issuesToMessage(parsed.issues, Patch))
  const current = await readReminderPrefs(db, user.id)
  const row: ReminderSettings = { id: user.id, orgId: user.orgId, ...current, ...parsed.output, updatedAt: new Date().toISOString() }
  await writeRow(db, 'reminder_settings', row, { ...parsed.output })
}
