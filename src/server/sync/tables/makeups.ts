import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { MakeupTable } from '../../db/schema.ts'
import { makeupFields, type Makeup } from '../../../core/schemas/entities.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { applyConfirmation, mergedText, parse, writableTable, type Apply, type Scope } from '../table-module.ts'
import { meetingRecords } from './scopes.ts'

/** 补学: one's own; the meeting's branch for its secretary; everything for administrators. */
export function makeupScope(v: Viewer): Scope<'makeups'> {
  return meetingRecords(v)
}

export function makeupToWire(r: Selectable<MakeupTable>): Makeup {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    memberId: r.member_id,
    meetingId: r.meeting_id,
    content: r.content,
    date: r.date,
    notes: r.notes,
    createdAt: r.created_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const NewMakeup = v.strictObject(makeupFields)
const Edit = v.partial(v.strictObject({ content: makeupFields.content, date: makeupFields.date, notes: makeupFields.notes }))

/**
 * 补学: a member who was absent or on leave records their make-up study for the meeting; the
 * meeting's secretary confirms it (and nothing else). Once confirmed it is part of the ledger and
 * no longer edited.
 */
export const applyMakeupMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('makeups').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const now = nowIso()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    if (existing.member_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能撤回本人的补学记录')
    if (existing.confirmed_at) throw new HttpError(409, 'conflict', '已确认的补学不能撤回')
    await trx.updateTable('makeups').set({ deleted: 1, updated_at: now, seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('makeups', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  // A confirmation reaching the server before the 补学 it confirms (a restored server refilled by
  // the secretary's phone first): it waits for the member's phone.
  if (!existing && 'confirmed' in fields && !('meetingId' in fields))
    throw new HttpError(409, 'waiting', '补学记录还没有同步到服务器，联网后会自动重试')
  if (!existing) {
    const f = parse(NewMakeup, fields)
    const meeting = await trx
      .selectFrom('meetings')
      .select(['branch_id', 'deleted', 'starts_at', 'expected_ids'])
      .where('id', '=', f.meetingId)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!meeting) throw new HttpError(409, 'waiting', '会议还没有同步到服务器，联网后会自动重试')
    if (meeting.deleted === 1) throw new HttpError(404, 'not_found', '会议已取消')
    // Only those expected at the meeting owe (and may file) 补学; never a member of another branch.
    if (!(JSON.parse(meeting.expected_ids) as string[]).includes(viewer.id))
      throw new HttpError(403, 'forbidden', '您不是这次会议的应到人员，无需补学')
    const attended = await trx
      .selectFrom('attendance')
      .select('status')
      .where('meeting_id', '=', f.meetingId)
      .where('member_id', '=', viewer.id)
      .executeTakeFirst()
    if (attended?.status === 'present') throw new HttpError(422, 'validation', '已出席的会议无需补学')
    await trx
      .insertInto('makeups')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: meeting.branch_id,
        meeting_id: f.meetingId,
        member_id: viewer.id,
        content: f.content,
        date: f.date,
        notes: f.notes,
        confirmed_by: null,
        confirmed_at: null,
        created_at: f.createdAt,
        updated_at: now,
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('makeups', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  if ('confirmed' in fields) return applyConfirmation(trx, viewer, 'makeups', existing, fields, seqs, '补学由党支部书记确认')
  if (existing.member_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的补学记录')
  if (existing.confirmed_at) throw new HttpError(409, 'conflict', '已确认的补学不能修改')
  const { meetingId: _m, createdAt: _c, ...rest } = fields
  const e = parse(Edit, rest)
  const notes = e.notes === undefined ? undefined : mergedText(m, 'notes', existing.notes, e.notes)
  await trx
    .updateTable('makeups')
    .set({
      ...(e.content !== undefined && { content: e.content }),
      ...(e.date !== undefined && { date: e.date }),
      ...(notes !== undefined && { notes }),
      updated_at: now,
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('makeups', m.rowId)
}

export const makeups = writableTable({
  table: 'makeups',
  read: (db, viewer) => db.selectFrom('makeups').selectAll().where(makeupScope(viewer)),
  toWire: (rows) => rows.map(makeupToWire),
  apply: applyMakeupMutation,
})
