import * as v from 'valibot'
import type { Kysely, Selectable } from 'kysely'
import type { Database, MeetingTable } from '../../db/schema.ts'
import { meetingFields, meetingKeyField, type Meeting } from '../../../core/schemas/entities.ts'
import { WRITABLE } from '../../../core/sync/tables.ts'
import { meetingShapeProblem, readsNotes, type MeetingType, type TalkKind } from '../../../core/domain/meetings.ts'
import { isAdmin, isManager, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { requireOrgPeople } from '../org-people.ts'
import { branchSecretaries, rescope, removedIds } from '../scope-changes.ts'
import { mergedText, parse, refuseField, writableTable, type Apply, type Scope } from '../table-module.ts'

/** Meetings: those one is expected at; a secretary also all of their branch's; administrators all. */
export function meetingScope(v: Viewer): Scope<'meetings'> {
  return (eb) => {
    const expected = eb('expected_ids', 'like', `%"${v.id}"%`)
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId) return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), expected])])
    return eb.and([eb('org_id', '=', v.orgId), expected])
  }
}

/** The meeting's notes (议程, 谈话记录): of a 谈心谈话 only for the two who talked. */
const readsRowNotes = (r: Pick<Selectable<MeetingTable>, 'type' | 'organiser_id' | 'talk_with_id'>, viewer: Viewer): boolean =>
  readsNotes({ type: r.type, organiserId: r.organiser_id, talkWithId: r.talk_with_id }, viewer.id)

/** The sign-in key goes only to those who manage the meeting (they show its code); a talk's notes only to the two who talked. */
export function meetingToWire(r: Selectable<MeetingTable>, viewer: Viewer): Meeting {
  const notes = readsRowNotes(r, viewer)
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    type: r.type,
    topic: r.topic,
    startsAt: r.starts_at,
    durationMinutes: Number(r.duration_minutes),
    place: r.place,
    organiserId: r.organiser_id,
    speaker: r.speaker,
    expectedIds: JSON.parse(r.expected_ids) as string[],
    agenda: notes ? r.agenda : '',
    minutes: notes ? r.minutes : '',
    talkWithId: r.talk_with_id,
    talkKind: r.talk_kind,
    photoIds: JSON.parse(r.photo_ids) as string[],
    createdAt: r.created_at,
    signKey: managesBranch(viewer, r.branch_id) ? r.sign_key : null,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const columns = {
  branchId: 'branch_id',
  type: 'type',
  topic: 'topic',
  startsAt: 'starts_at',
  durationMinutes: 'duration_minutes',
  place: 'place',
  organiserId: 'organiser_id',
  speaker: 'speaker',
  expectedIds: 'expected_ids',
  agenda: 'agenda',
  minutes: 'minutes',
  talkWithId: 'talk_with_id',
  talkKind: 'talk_kind',
  photoIds: 'photo_ids',
  createdAt: 'created_at',
} as const satisfies Record<keyof typeof meetingFields, string>
type Field = keyof typeof columns

const NewMeeting = v.strictObject({ ...meetingFields, ...meetingKeyField })

function refuseScope(viewer: Viewer, branchId: string | null): void {
  if (!managesBranch(viewer, branchId)) {
    throw new HttpError(403, 'forbidden', branchId === null ? '机关党委层面的会议由管理员安排' : '只能安排本支部的会议')
  }
}

const checkPeople = (trx: Kysely<Database>, viewer: Viewer, ids: readonly string[]) =>
  requireOrgPeople(trx, viewer, ids, '参会人员中有不属于本组织的人')

function checkShape(type: MeetingType, branchId: string | null, talkWithId: string | null): void {
  const problem = meetingShapeProblem(type, branchId, talkWithId)
  if (problem) throw new HttpError(422, 'validation', problem)
}

/** A member records a talk they hold themselves, in their own branch (a 支部委员's talks with the members). */
function ownTalk(viewer: Viewer, f: { type: MeetingType; branchId: string | null; organiserId: string }): boolean {
  return f.type === 'heart_talk' && f.organiserId === viewer.id && f.branchId !== null && f.branchId === viewer.branchId
}

/**
 * A talk's notes stay with the two who talked: nobody else writes them, and nobody else turns the talk
 * into another meeting or changes who talked (either would hand the notes to someone else).
 */
function refuseTalkChange(existing: Selectable<MeetingTable>, viewer: Viewer, fields: Record<string, unknown>): void {
  if (existing.type !== 'heart_talk') return
  const keys = Object.keys(fields)
  if (fields.type !== undefined && fields.type !== existing.type) throw new HttpError(422, 'validation', '谈心谈话不能改为其他会议类型')
  if (readsRowNotes(existing, viewer)) return
  const theirs = keys.filter((k) => k === 'agenda' || k === 'minutes' || k === 'organiserId' || k === 'talkWithId')
  if (theirs.length > 0) throw new HttpError(403, 'forbidden', '谈话记录只有谈话双方可以填写和查看')
}

/**
 * Meetings are written by those who manage them: a branch's secretary for the branch, the
 * administrators for every branch and for the leadership's own meetings. Created offline on the
 * organiser's phone together with the meeting's sign-in key, which never changes afterwards.
 */
export const applyMeetingMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('meetings').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  // A talk is also written by the two who talked: a 支部委员 records the talks they hold.
  const talker = existing?.type === 'heart_talk' && readsRowNotes(existing, viewer)
  if (existing && !talker) refuseScope(viewer, existing.branch_id)
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx.updateTable('meetings').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('meetings', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  if (!existing) {
    const f = parse(NewMeeting, fields)
    if (!ownTalk(viewer, f)) refuseScope(viewer, f.branchId)
    checkShape(f.type, f.branchId, f.talkWithId)
    if (f.type !== 'heart_talk' && f.talkKind !== null) throw new HttpError(422, 'validation', '只有谈心谈话有谈话类别')
    await checkPeople(trx, viewer, [f.organiserId, ...f.expectedIds, ...(f.talkWithId ? [f.talkWithId] : [])])
    await trx
      .insertInto('meetings')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: f.branchId,
        type: f.type,
        topic: f.topic,
        starts_at: new Date(f.startsAt).toISOString(),
        duration_minutes: f.durationMinutes,
        place: f.place,
        organiser_id: f.organiserId,
        speaker: f.speaker,
        expected_ids: JSON.stringify([...new Set(f.expectedIds)]),
        agenda: f.agenda,
        minutes: f.minutes,
        talk_with_id: f.talkWithId,
        talk_kind: f.talkKind,
        sign_key: f.signKey,
        photo_ids: JSON.stringify([...new Set(f.photoIds)]),
        created_by: viewer.id,
        created_at: f.createdAt,
        updated_at: nowIso(),
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('meetings', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  const set: Record<string, unknown> = {}
  const next = { type: existing.type, branchId: existing.branch_id, talkWithId: existing.talk_with_id, talkKind: existing.talk_kind }
  refuseTalkChange(existing, viewer, fields)
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'signKey') continue // fixed at creation; a retry of the creation may carry it
    if (!(key in columns)) refuseField(key)
    const name = key as Field
    if (name === 'createdAt') continue
    let out: unknown = parse(meetingFields[name], value)
    if (name === 'branchId') {
      refuseScope(viewer, out as string | null)
      next.branchId = out as string | null
    }
    if (name === 'type') next.type = out as MeetingType
    if (name === 'talkWithId') next.talkWithId = out as string | null
    if (name === 'talkKind') next.talkKind = out as TalkKind | null
    if (name === 'expectedIds') {
      await checkPeople(trx, viewer, out as string[])
      out = JSON.stringify([...new Set(out as string[])])
    }
    if (name === 'organiserId') await checkPeople(trx, viewer, [out as string])
    if (name === 'photoIds') out = JSON.stringify([...new Set(out as string[])])
    if (name === 'startsAt') out = new Date(out as string).toISOString()
    if ((WRITABLE.meetings.mergeText as readonly string[]).includes(name))
      out = mergedText(m, name, String(existing[columns[name]]), String(out))
    set[columns[name]] = out
  }
  checkShape(next.type, next.branchId, next.talkWithId)
  if (next.type !== 'heart_talk' && next.talkKind !== null) throw new HttpError(422, 'validation', '只有谈心谈话有谈话类别')
  if (Object.keys(set).length === 0) return
  await trx
    .updateTable('meetings')
    .set({ ...set, updated_at: nowIso(), seq: 0 })
    .where('id', '=', m.rowId)
    .execute()
  // People no longer expected lose the meeting from their phones (those added receive the row).
  if ('expected_ids' in set)
    await rescope(trx, removedIds(JSON.parse(existing.expected_ids) as string[], JSON.parse(set.expected_ids as string) as string[]))
  if ('branch_id' in set && next.branchId !== existing.branch_id) {
    // Attendance and 补学 follow the meeting's branch, so the right secretary reads them; the
    // secretaries of both branches re-pull (one loses the rows, the other gains the earlier ones).
    for (const table of ['attendance', 'makeups'] as const) {
      const rows = await trx
        .updateTable(table)
        .set({ branch_id: next.branchId, seq: 0 })
        .where('meeting_id', '=', m.rowId)
        .returning('id')
        .execute()
      for (const r of rows) seqs.mark(table, r.id)
    }
    await rescope(trx, await branchSecretaries(trx, viewer.orgId, [existing.branch_id, next.branchId]))
  }
  seqs.mark('meetings', m.rowId)
}

export const meetings = writableTable({
  table: 'meetings',
  read: (db, viewer) => db.selectFrom('meetings').selectAll().where(meetingScope(viewer)),
  toWire: (rows, viewer) => rows.map((r) => meetingToWire(r, viewer)),
  apply: applyMeetingMutation,
})
