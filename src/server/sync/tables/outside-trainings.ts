import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { OutsideTrainingTable } from '../../db/schema.ts'
import { outsideTrainingFields, type OutsideTraining } from '../../../core/schemas/entities.ts'
import { isAdmin, isManager } from '../../../core/domain/authority.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { idList } from '../../db/json.ts'
import { applyConfirmation, mergedText, parse, writableTable, type Apply, type Scope } from '../table-module.ts'

/** 其他培训: the member's own; their branch's for its secretary; the organisation's for administrators. */
export function outsideTrainingScope(v: Viewer): Scope<'outside_trainings'> {
  return (eb) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('member_id', '=', v.id), eb('branch_id', '=', v.branchId)])])
    return eb.and([eb('member_id', '=', v.id)])
  }
}

export function outsideTrainingToWire(r: Selectable<OutsideTrainingTable>): OutsideTraining {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    memberId: r.member_id,
    kind: r.kind,
    title: r.title,
    organiser: r.organiser,
    startOn: r.start_on,
    endOn: r.end_on,
    minutes: Number(r.minutes),
    photoIds: idList(r.photo_ids),
    notes: r.notes,
    createdAt: r.created_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const { createdAt: _created, ...editable } = outsideTrainingFields
const NewTraining = v.strictObject(outsideTrainingFields)
const Edit = v.partial(v.strictObject(editable))

function checkDates(startOn: string, endOn: string): void {
  if (endOn < startOn) throw new HttpError(422, 'validation', '结束日期不能早于开始日期')
  if (endOn > chinaToday(new Date())) throw new HttpError(422, 'validation', '培训结束后再登记')
}

/**
 * 其他培训: a member records outside training for themselves (never for another), with the
 * certificate photographed; the branch's secretary (or an administrator) confirms it, never their
 * own. Only a confirmed record counts as 学时; once confirmed it is no longer edited or withdrawn
 * (the secretary may withdraw the confirmation first).
 */
export const applyOutsideTrainingMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('outside_trainings').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const now = nowIso()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    if (existing.member_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能撤回本人的培训记录')
    if (existing.confirmed_at) throw new HttpError(409, 'conflict', '已确认的培训记录不能撤回')
    await trx.updateTable('outside_trainings').set({ deleted: 1, updated_at: now, seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('outside_trainings', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  // A confirmation reaching a restored server before the record (the secretary's phone refilled first): it waits.
  if (!existing && 'confirmed' in fields && !('title' in fields))
    throw new HttpError(409, 'waiting', '培训记录还没有同步到服务器，联网后会自动重试')
  if (!existing) {
    const f = parse(NewTraining, fields)
    checkDates(f.startOn, f.endOn)
    await trx
      .insertInto('outside_trainings')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: viewer.branchId,
        member_id: viewer.id,
        kind: f.kind,
        title: f.title,
        organiser: f.organiser,
        start_on: f.startOn,
        end_on: f.endOn,
        minutes: f.minutes,
        photo_ids: JSON.stringify([...new Set(f.photoIds)]),
        notes: f.notes,
        confirmed_by: null,
        confirmed_at: null,
        created_at: f.createdAt,
        updated_at: now,
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('outside_trainings', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  if ('confirmed' in fields) return applyConfirmation(trx, viewer, 'outside_trainings', existing, fields, seqs, '培训记录由党支部书记确认')
  if (existing.member_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的培训记录')
  if (existing.confirmed_at) throw new HttpError(409, 'conflict', '已确认的培训记录不能修改')
  const { createdAt: _c, ...rest } = fields
  const e = parse(Edit, rest)
  checkDates(e.startOn ?? existing.start_on, e.endOn ?? existing.end_on)
  const notes = e.notes === undefined ? undefined : mergedText(m, 'notes', existing.notes, e.notes)
  await trx
    .updateTable('outside_trainings')
    .set({
      ...(e.kind !== undefined && { kind: e.kind }),
      ...(e.title !== undefined && { title: e.title }),
      ...(e.organiser !== undefined && { organiser: e.organiser }),
      ...(e.startOn !== undefined && { start_on: e.startOn }),
      ...(e.endOn !== undefined && { end_on: e.endOn }),
      ...(e.minutes !== undefined && { minutes: e.minutes }),
      ...(e.photoIds !== undefined && { photo_ids: JSON.stringify([...new Set(e.photoIds)]) }),
      ...(notes !== undefined && { notes }),
      updated_at: now,
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('outside_trainings', m.rowId)
}

export const outsideTrainings = writableTable({
  table: 'outside_trainings',
  read: (db, viewer) => db.selectFrom('outside_trainings').selectAll().where(outsideTrainingScope(viewer)),
  toWire: (rows) => rows.map(outsideTrainingToWire),
  apply: applyOutsideTrainingMutation,
})
