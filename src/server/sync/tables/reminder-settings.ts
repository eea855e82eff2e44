import type { Selectable } from 'kysely'
import type { ReminderSettingsTable } from '../../db/schema.ts'
import { reminderSettingsFields, type ReminderSettings } from '../../../core/schemas/entities.ts'
import { DEFAULT_PREFS, type ReminderPrefs } from '../../../core/domain/reminders.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { idList } from '../../db/json.ts'
import { CHANNELS, type Channel } from '../../../core/domain/reminder-channels.ts'
import { parsePatch, writableTable, type Apply, type Scope } from '../table-module.ts'

/** Reminder settings are the person's own business only. */
export function reminderSettingsScope(v: Viewer): Scope<'reminder_settings'> {
  return (eb) => eb.and([eb('id', '=', v.id)])
}

export function reminderSettingsToWire(r: Selectable<ReminderSettingsTable>): ReminderSettings {
  return {
    id: r.id,
    orgId: r.org_id,
    birthday: r.birthday === 1,
    branchWeekAhead: r.branch_week_ahead === 1,
    meetingTomorrow: r.meeting_tomorrow === 1,
    studyGap: r.study_gap === 1,
    unsynced: r.unsynced === 1,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    channels: channelsOf(r),
    updatedAt: r.updated_at,
  }
}

/** The stored channel list; anything unreadable counts as not chosen (the organ's default). */
export function channelsOf(r: Pick<Selectable<ReminderSettingsTable>, 'channels'>): Channel[] | null {
  if (r.channels === null) return null
  const list = idList(r.channels)
  return list.every((c): c is Channel => (CHANNELS as readonly string[]).includes(c)) ? list : null
}

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
    channels: channelsOf(r),
  }
}

/**
 * A person changes their own reminder settings. Only the fields the mutation names change, so
 * two phones changing different settings offline both keep their change.
 */
export const applyReminderSettingsMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op !== 'upsert' || m.rowId !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的提醒设置')
  const existing = await trx.selectFrom('reminder_settings').selectAll().where('id', '=', viewer.id).executeTakeFirst()
  const next: ReminderPrefs = { ...prefsOf(existing), ...parsePatch(reminderSettingsFields, m.fields ?? {}, '不能修改的字段') }
  const row = {
    org_id: viewer.orgId,
    birthday: next.birthday ? 1 : 0,
    branch_week_ahead: next.branchWeekAhead ? 1 : 0,
    meeting_tomorrow: next.meetingTomorrow ? 1 : 0,
    study_gap: next.studyGap ? 1 : 0,
    unsynced: next.unsynced ? 1 : 0,
    quiet_start: next.quietStart,
    quiet_end: next.quietEnd,
    channels: next.channels === null ? null : JSON.stringify(next.channels),
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

export const reminderSettings = writableTable({
  table: 'reminder_settings',
  read: (db, viewer) => db.selectFrom('reminder_settings').selectAll().where(reminderSettingsScope(viewer)),
  toWire: (rows) => rows.map(reminderSettingsToWire),
  apply: applyReminderSettingsMutation,
})
