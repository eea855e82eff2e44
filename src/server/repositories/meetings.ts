import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely'
import type { Database, MeetingTable } from '../db/schema.ts'

type MeetingRow = Pick<
  Selectable<MeetingTable>,
  'id' | 'type' | 'topic' | 'starts_at' | 'duration_minutes' | 'place' | 'agenda' | 'deleted'
>

/** A meeting as the calendar files (ICS) show it: never a 谈心谈话's notes (calendars leave the app). */
export const meetingWire = (m: MeetingRow) => ({
  id: m.id,
  type: m.type,
  topic: m.topic,
  startsAt: m.starts_at,
  durationMinutes: Number(m.duration_minutes),
  place: m.place,
  agenda: m.type === 'heart_talk' ? '' : m.agenda,
  deleted: m.deleted === 1,
})

/** Which rows of a table someone may see (the sync tables' read scopes). */
export type RowFilter<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>

/** A meeting, if it is within `scope`. */
export async function meetingWithin(db: Kysely<Database>, id: string, scope: RowFilter<'meetings'>) {
  return db.selectFrom('meetings').selectAll().where('id', '=', id).where(scope).executeTakeFirst()
}
