import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { RectificationTable } from '../../db/schema.ts'
import { followupCloseFields, rectificationFields, type Rectification } from '../../../core/schemas/entities.ts'
import { isAdmin, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { requireOrgPeople } from '../org-people.ts'
import { rescope } from '../scope-changes.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'

/** 整改清单 is published to the branch: every member of it reads it, as do the items' owners and administrators. */
export function rectificationScope(v: Viewer): Scope<'rectifications'> {
  return (eb) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    const mine = eb('owner_id', '=', v.id)
    return eb.and([eb('org_id', '=', v.orgId), v.branchId ? eb.or([eb('branch_id', '=', v.branchId), mine]) : mine])
  }
}

export function rectificationToWire(r: Selectable<RectificationTable>): Rectification {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    year: Number(r.year),
    text: r.text,
    ownerId: r.owner_id,
    dueOn: r.due_on,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    closeNote: r.close_note,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const refuseUnlessManager = (viewer: Viewer, branchId: string): void => {
  if (!managesBranch(viewer, branchId)) throw new HttpError(403, 'forbidden', '整改清单由本支部书记填写')
}
const Edit = v.partial(
  v.strictObject({ text: rectificationFields.text, ownerId: rectificationFields.ownerId, dueOn: rectificationFields.dueOn }),
)

/**
 * The branch's secretary (or an administrator) lists, edits and withdraws the items; an item is
 * closed with a note by its owner or the secretary, once (a second close from another phone
 * leaves the first standing and sends it back).
 */
export const applyRectificationMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('rectifications').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  const fields = m.fields ?? {}
  const touch = async (set: Partial<Selectable<RectificationTable>>): Promise<void> => {
    await trx
      .updateTable('rectifications')
      .set({ ...set, updated_at: nowIso(), seq: 0 })
      .where('id', '=', m.rowId)
      .execute()
    seqs.mark('rectifications', m.rowId)
  }
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    refuseUnlessManager(viewer, existing.branch_id)
    return touch({ deleted: 1 })
  }
  if (!existing && 'closeNote' in fields) throw new HttpError(409, 'waiting', '整改事项还没有同步到服务器，联网后会自动重试')
  if (!existing) {
    const f = parse(v.strictObject(rectificationFields), fields)
    refuseUnlessManager(viewer, f.branchId)
    await requireOrgPeople(trx, viewer, [f.ownerId], '责任人不属于本组织')
    await trx
      .insertInto('rectifications')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: f.branchId,
        year: f.year,
        text: f.text,
        owner_id: f.ownerId,
        due_on: f.dueOn,
        closed_at: null,
        closed_by: null,
        close_note: '',
        created_by: viewer.id,
        created_at: f.createdAt,
        updated_at: nowIso(),
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('rectifications', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  if ('closeNote' in fields) {
    if (existing.owner_id !== viewer.id && !managesBranch(viewer, existing.branch_id))
      throw new HttpError(403, 'forbidden', '只有责任人或支部书记可以销号')
    const { closeNote } = parse(v.strictObject(followupCloseFields), fields)
    if (existing.closed_at) return seqs.mark('rectifications', m.rowId)
    return touch({ close_note: closeNote, closed_at: nowIso(), closed_by: viewer.id })
  }
  refuseUnlessManager(viewer, existing.branch_id)
  if (existing.closed_at) throw new HttpError(409, 'conflict', '已销号的整改事项不能修改')
  const f = parse(Edit, fields)
  if (f.ownerId) await requireOrgPeople(trx, viewer, [f.ownerId], '责任人不属于本组织')
  // An owner outside the branch read the item as its owner only: they lose it.
  if (f.ownerId !== undefined && f.ownerId !== existing.owner_id) await rescope(trx, [existing.owner_id])
  await touch({
    ...(f.text !== undefined && { text: f.text }),
    ...(f.ownerId !== undefined && { owner_id: f.ownerId }),
    ...(f.dueOn !== undefined && { due_on: f.dueOn }),
  })
}

export const rectifications = writableTable({
  table: 'rectifications',
  read: (db, viewer) => db.selectFrom('rectifications').selectAll().where(rectificationScope(viewer)),
  toWire: (rows) => rows.map(rectificationToWire),
  apply: applyRectificationMutation,
})
