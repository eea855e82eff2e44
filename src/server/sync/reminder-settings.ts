import * as v from 'valibot'
import type { Kysely, Selectable } from 'kysely'
import type { Database, ReminderSettingsTable } from '../db/schema.ts'
import { reminderSettingsFields } from '../../core/schemas/entities.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import { DEFAULT_PREFS, type ReminderPrefs } from '../../core/domain/reminders.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'
import type { Viewer } from '../lib/viewer.ts'
import { reminderSettingsToWire } from './wire.ts'

const columns = {
  birthday: 'birthday',
  branchWeekAhead: 'branch_week_ahead',
  meetingTomorrow: 'meeting_tomorrow',
  studyGap: 'study_gap',
  unsynced: 'unsynced',
  quietStart: 'quiet_start',
  quietEnd: 'quiet_end',
} as const satisfies Record<keyof ReminderPrefs, keyof ReminderSettingsTable>

type Field = keyof typeof columns

export function prefsOf(r: Selectable<ReminderSettingsTable> | undefined): ReminderPrefs {
  if (!r) return DEFAULT_PREFS
  return {
    birthday: r.birthday === 1,
    branchWeekAhead: r.branch_week_ahead === 1,
    meetingTomorrow: r.meeting_tomorrow === 1,
    studyGap: r.study_gap === 1,
    unsynced: r.unsynced === 1,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
  }
}

/**
 * A person changes their own reminder settings. Only the fields the mutation names change, so
 * two phones changing different settings offline both keep their change.
 */
export async function applyReminderSettingsMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
  if (m.op !== 'upsert' || m.rowId !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的提醒设置')
  const existing = await trx.selectFrom('reminder_settings').selectAll().where('id', '=', viewer.id).executeTakeFirst()
  const next: ReminderPrefs = { ...prefsOf(existing) }
  for (const [key, value] of Object.entries(m.fields ?? {})) {
    if (!(key in columns)) throw new HttpError(422, 'validation', `不能修改的字段：${key.slice(0, 40)}`)
    const name = key as Field
    const r = v.safeParse(reminderSettingsFields[name], value)
    if (!r.success) throw new HttpError(422, 'validation', issuesToMessage(r.issues, reminderSettingsFields[name]))
    Object.assign(next, { [name]: r.output })
  }
  const row = {
    org_id: viewer.orgId,
    birthday: next.birthday ? 1 : 0,
    branch_week_ahead: next.branchWeekAhead ? 1 : 0,
    meeting_tomorrow: next.meetingTomorrow ? 1 : 0,
    study_gap: next.studyGap ? 1 : 0,
    unsynced: next.unsynced ? 1 : 0,
    quiet_start: next.quietStart,
    quiet_end: next.quietEnd,
    updated_at: nowIso(),
    seq: 0,
  }
  if (existing) await trx.updateTable('reminder_settings').set(row).where('id', '=', viewer.id).execute()
  else
    await trx
      .insertInto('reminder_settings')
      .values({ id: viewer.id, ...row })
      .execute()
  seqs.mark('reminder_settings', viewer.id)
}

export async function visibleReminderSettingsRow(
  trx: Kysely<Database>,
  viewer: Viewer,
  id: string,
): Promise<Record<string, unknown> | null> {
  if (id !== viewer.id) return null
  const r = await trx.selectFrom('reminder_settings').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? { ...reminderSettingsToWire(r) } : null
}
