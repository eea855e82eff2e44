import * as v from 'valibot'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { reminderSettingsFields, type ReminderSettings } from '../../../core/schemas/entities.ts'
import type { ReminderPrefs } from '../../../core/domain/reminders.ts'
import { readReminderPrefs } from './reminders.queries.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { ValidationError, writeRow } from '../../db/write.ts'

const Patch = v.partial(v.strictObject(reminderSettingsFields))

/** Change some of the person's reminder settings, offline, through the one write path. Only the changed fields travel. */
export async function saveReminderPrefs(
  db: AccountDb,
  user: Pick<SessionUser, 'id' | 'orgId'>,
  patch: Partial<ReminderPrefs>,
): Promise<void> {
  const parsed = v.safeParse(Patch, patch)
  if (!parsed.success) throw new ValidationError(issuesToMessage(parsed.issues, Patch))
  const checked = parsed.output
  const current = await readReminderPrefs(db, user.id)
  const row: ReminderSettings = { id: user.id, orgId: user.orgId, ...current, ...checked, updatedAt: new Date().toISOString() }
  await writeRow(db, 'reminder_settings', row, { ...checked })
}
