import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { FollowupTable } from '../../db/schema.ts'
import { followupCloseFields, followupFields, type Followup } from '../../../core/schemas/entities.ts'
import { isAdmin, isManager, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { requireFieldPeople as checkPeople } from '../org-people.ts'
import { rescope } from '../scope-changes.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'

/** Follow-ups: their owner, those who went on the visit, the branch's secretary, administrators. */
export function followupScope(v: Viewer): Scope<'followups'> {
  return (eb) => {
    const mine = eb('owner_id', '=', v.id)
    const went = eb('visit_id', 'in', eb.selectFrom('visits').select('visits.id').where('visits.member_ids', 'like', `%"${v.id}"%`))
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId) return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), mine, went])])
    return eb.and([eb('org_id', '=', v.orgId), eb.or([mine, went])])
  }
}

export function followupToWire(r: Selectable<FollowupTable>): Followup {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    householdId: r.household_id,
    visitId: r.visit_id,
    text: r.text,
    ownerId: r.owner_id,
    dueOn: r.due_on,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closeNote: r.close_note,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

/** Follow-ups: created by those who went; closed (with a note) by their owner or the branch's secretary. */
export const applyFollowupMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('followups').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  const fields = m.fields ?? {}
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    if (existing.created_by !== viewer.id) throw new HttpError(403, 'forbidden', '只能撤回本人登记的事项')
    await trx.updateTable('followups').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('followups', m.rowId)
    return
  }
  if (!existing && 'closeNote' in fields && !('visitId' in fields))
    throw new HttpError(409, 'waiting', '承诺事项还没有同步到服务器，联网后会自动重试')
  if (!existing) {
    const f = parse(v.strictObject(followupFields), fields)
    const visit = await trx
      .selectFrom('visits')
      .select(['member_ids', 'branch_id', 'household_id', 'deleted', 'org_id'])
      .where('id', '=', f.visitId)
      .executeTakeFirst()
    if (!visit || visit.org_id !== viewer.orgId) throw new HttpError(409, 'waiting', '走访记录还没有同步到服务器，联网后会自动重试')
    if (visit.deleted === 1) throw new HttpError(404, 'not_found', '走访记录已删除')
    if (!(JSON.parse(visit.member_ids) as string[]).includes(viewer.id))
      throw new HttpError(403, 'forbidden', '只有参加走访的人员可以登记承诺事项')
    await checkPeople(trx, viewer, [f.ownerId])
    await trx
      .insertInto('followups')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: visit.branch_id,
        household_id: visit.household_id,
        visit_id: f.visitId,
        text: f.text,
        owner_id: f.ownerId,
        due_on: f.dueOn,
        closed_at: null,
        close_note: '',
        created_by: viewer.id,
        created_at: f.createdAt,
        updated_at: nowIso(),
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('followups', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  if ('closeNote' in fields) {
    if (existing.owner_id !== viewer.id && !managesBranch(viewer, existing.branch_id))
      throw new HttpError(403, 'forbidden', '只有责任人可以办结')
    const { closeNote } = parse(v.strictObject(followupCloseFields), fields)
    // Closed already (another phone, or before a restore was refilled): the row goes out again
    // so the writer's phone replaces its own note with the one that stands.
    if (existing.closed_at) return seqs.mark('followups', m.rowId)
    await trx
      .updateTable('followups')
      .set({ close_note: closeNote, closed_at: nowIso(), updated_at: nowIso(), seq: 0 })
      .where('id', '=', m.rowId)
      .execute()
    seqs.mark('followups', m.rowId)
    return
  }
  if (existing.created_by !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人登记的事项')
  if (existing.closed_at) throw new HttpError(409, 'conflict', '已办结的事项不能修改')
  const f = parse(
    v.partial(v.strictObject({ text: followupFields.text, ownerId: followupFields.ownerId, dueOn: followupFields.dueOn })),
    fields,
  )
  if (f.ownerId) await checkPeople(trx, viewer, [f.ownerId])
  // The previous owner may no longer see it.
  if (f.ownerId !== undefined && f.ownerId !== existing.owner_id) await rescope(trx, [existing.owner_id])
  await trx
    .updateTable('followups')
    .set({
      ...(f.text !== undefined && { text: f.text }),
      ...(f.ownerId !== undefined && { owner_id: f.ownerId }),
      ...(f.dueOn !== undefined && { due_on: f.dueOn }),
      updated_at: nowIso(),
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('followups', m.rowId)
}

export const followups = writableTable({
  table: 'followups',
  read: (db, viewer) => db.selectFrom('followups').selectAll().where(followupScope(viewer)),
  toWire: (rows) => rows.map(followupToWire),
  apply: applyFollowupMutation,
})
