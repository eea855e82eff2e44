import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { jsonColumn } from '../../db/json.ts'
import { TrainingSettings as StoredSettings } from '../../../core/contracts/training.ts'
import {
  DEFAULT_TRAINING_SETTINGS,
  NO_FLAGS,
  type OutsideTrainingRecord,
  type TrainingAttendance,
  type TrainingFlags,
  type TrainingMakeup,
  type TrainingMeeting,
  type TrainingSettings,
  trainingItems,
  trainingYear,
} from '../../../core/domain/training.ts'

/** The organisation's training settings (the defaults until an administrator sets them). */
export async function trainingSettingsOf(db: Kysely<Database>, orgId: string): Promise<{ settings: TrainingSettings; custom: boolean }> {
  const org = await db.selectFrom('organizations').select('training').where('id', '=', orgId).executeTakeFirst()
  return org?.training
    ? { settings: jsonColumn(StoredSettings, org.training), custom: true }
    : { settings: DEFAULT_TRAINING_SETTINGS, custom: false }
}

/** Flags of the given people (everyone's without a list), defaults for those without. */
export async function trainingFlagsOf(
  db: Kysely<Database>,
  orgId: string,
  userIds?: readonly string[],
): Promise<Map<string, TrainingFlags>> {
  if (userIds && userIds.length === 0) return new Map()
  let q = db.selectFrom('training_profiles').select(['user_id', 'cadre', 'exempt']).where('org_id', '=', orgId)
  if (userIds) q = q.where('user_id', 'in', [...userIds])
  const rows = await q.execute()
  return new Map(rows.map((r) => [r.user_id, { cadre: r.cadre === 1, exempt: r.exempt === 1 }]))
}

export const flagsIn = (flags: ReadonlyMap<string, TrainingFlags>, id: string): TrainingFlags => flags.get(id) ?? NO_FLAGS

export interface TrainingRecords {
  meetings: TrainingMeeting[]
  attendance: TrainingAttendance[]
  makeups: TrainingMakeup[]
  outside: OutsideTrainingRecord[]
}

/**
 * What the count needs for these people: their attendance, their confirmed 补学 and outside
 * training dated from `from` to `to` (China dates), and the meetings those name.
 */
export async function trainingRecordsOf(
  db: Kysely<Database>,
  orgId: string,
  memberIds: readonly string[],
  from = '2000-01-01',
  to = '2100-12-31',
): Promise<TrainingRecords> {
  if (memberIds.length === 0) return { meetings: [], attendance: [], makeups: [], outside: [] }
  const ids = [...memberIds]
  const attendance = await db
    .selectFrom('attendance')
    .select(['meeting_id', 'member_id', 'status', 'method', 'signed_at'])
    .where('org_id', '=', orgId)
    .where('member_id', 'in', ids)
    .where('status', '=', 'present')
    .execute()
  const makeups = await db
    .selectFrom('makeups')
    .select(['meeting_id', 'member_id', 'date', 'confirmed_at'])
    .where('org_id', '=', orgId)
    .where('member_id', 'in', ids)
    .where('deleted', '=', 0)
    .where('confirmed_at', 'is not', null)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute()
  const meetingIds = [...new Set([...attendance.map((a) => a.meeting_id), ...makeups.map((k) => k.meeting_id)])]
  const meetings: TrainingMeeting[] = []
  for (let i = 0; i < meetingIds.length; i += 500) {
    const rows = await db
      .selectFrom('meetings')
      .select(['id', 'type', 'topic', 'starts_at', 'duration_minutes', 'deleted'])
      .where('id', 'in', meetingIds.slice(i, i + 500))
      .where('deleted', '=', 0)
      .execute()
    for (const m of rows)
      meetings.push({ id: m.id, type: m.type, topic: m.topic, startsAt: m.starts_at, durationMinutes: Number(m.duration_minutes) })
  }
  const outside = await db
    .selectFrom('outside_trainings')
    .select(['id', 'member_id', 'title', 'organiser', 'end_on', 'minutes', 'confirmed_at'])
    .where('org_id', '=', orgId)
    .where('member_id', 'in', ids)
    .where('deleted', '=', 0)
    .where('end_on', '>=', from)
    .where('end_on', '<=', to)
    .execute()
  return {
    // Every meeting named: the count keeps each item's China year (a 补学 in January for a December meeting counts in January).
    meetings,
    attendance: attendance.map((a) => ({
      meetingId: a.meeting_id,
      memberId: a.member_id,
      status: a.status,
      method: a.method,
      signedAt: a.signed_at,
    })),
    makeups: makeups.map((k) => ({ meetingId: k.meeting_id, memberId: k.member_id, date: k.date, confirmedAt: k.confirmed_at })),
    outside: outside.map((o) => ({
      id: o.id,
      memberId: o.member_id,
      title: o.title,
      organiser: o.organiser,
      endOn: o.end_on,
      minutes: Number(o.minutes),
      confirmedAt: o.confirmed_at,
    })),
  }
}

/**
 * 学时 for the member's personal export: the settings, the flags, their outside training as they
 * recorded it, and every year with counted training: each item, the total and the requirement.
 */
export async function personalTraining(db: Kysely<Database>, orgId: string, userId: string) {
  const { settings } = await trainingSettingsOf(db, orgId)
  const flags = flagsIn(await trainingFlagsOf(db, orgId, [userId]), userId)
  const records = await trainingRecordsOf(db, orgId, [userId])
  const own = await db
    .selectFrom('outside_trainings')
    .select(['kind', 'title', 'organiser', 'start_on as startOn', 'end_on as endOn', 'minutes', 'notes', 'confirmed_at as confirmedAt'])
    .where('member_id', '=', userId)
    .where('deleted', '=', 0)
    .orderBy('end_on')
    .execute()
  const all = trainingItems({ memberId: userId, year: 0, settings, ...records, anyYear: true })
  const years = [...new Set(all.map((i) => Number(i.date.slice(0, 4))))].sort()
  return {
    minutesPerHour: settings.minutesPerHour,
    flags,
    outsideTrainings: own.map((o) => ({ ...o, minutes: Number(o.minutes) })),
    years: years.map((year) => {
      const y = trainingYear({ memberId: userId, year, settings, ...records }, flags)
      return { year, minutes: y.minutes, hours: y.hours, required: y.required, items: y.items }
    }),
  }
}
