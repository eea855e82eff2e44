import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { VisitTable } from '../../db/schema.ts'
import { visitFields, type Visit } from '../../../core/schemas/entities.ts'
import { WRITABLE } from '../../../core/sync/tables.ts'
import { isAdmin, isManager } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { requireFieldPeople as checkPeople } from '../org-people.ts'
import { changedIds, linkedMembers, rescope } from '../scope-changes.ts'
import { parse, patchColumns, writableTable, type Apply, type Scope } from '../table-module.ts'
import { householdScope } from './households.ts'

/** Visits: those who went, the members linked to the household, the branch's secretary, administrators. */
export function visitScope(v: Viewer): Scope<'visits'> {
  return (eb) => {
    const went = eb('member_ids', 'like', `%"${v.id}"%`)
    const linked = eb(
      'household_id',
      'in',
      eb.selectFrom('households').select('households.id').where('households.member_ids', 'like', `%"${v.id}"%`),
    )
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), went, linked])])
    return eb.and([eb('org_id', '=', v.orgId), eb.or([went, linked])])
  }
}

export function visitToWire(r: Selectable<VisitTable>): Visit {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    householdId: r.household_id,
    place: r.place,
    visitedAt: r.visited_at,
    memberIds: JSON.parse(r.member_ids) as string[],
    findings: r.findings,
    problems: r.problems,
    location: r.location,
    photoIds: JSON.parse(r.photo_ids) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const visitColumns = {
  branchId: 'branch_id',
  householdId: 'household_id',
  place: 'place',
  visitedAt: 'visited_at',
  memberIds: 'member_ids',
  findings: 'findings',
  problems: 'problems',
  location: 'location',
  photoIds: 'photo_ids',
  createdAt: 'created_at',
} as const

/** 一线走访: recorded by any of those who went; the branch's secretary reads them. */
export const applyVisitMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('visits').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const went = (ids: string) => (JSON.parse(ids) as string[]).includes(viewer.id)
  if (existing && (existing.org_id !== viewer.orgId || !(went(existing.member_ids) || existing.created_by === viewer.id)))
    throw new HttpError(403, 'forbidden', '只有参加走访的人员可以修改走访记录')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx.updateTable('visits').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('visits', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  const checkHousehold = async (id: string | null) => {
    if (id === null) return
    const h = await trx.selectFrom('households').select('id').where('id', '=', id).where(householdScope(viewer)).executeTakeFirst()
    if (h) return
    const any = await trx
      .selectFrom('households')
      .select(['id', 'branch_id'])
      .where('id', '=', id)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!any) throw new HttpError(409, 'waiting', '联系户还没有同步到服务器，联网后会自动重试')
    // A household of one's own branch: a member may have gone with others, or have been linked
    // when the visit was recorded (a restored server refilled later). The visit does not show
    // them the household's own record unless they are linked to it.
    if (any.branch_id !== null && any.branch_id === viewer.branchId) return
    throw new HttpError(422, 'validation', '该联系户不在您的联系范围内')
  }
  if (!existing) {
    const f = parse(v.strictObject(visitFields), fields)
    if (!f.memberIds.includes(viewer.id)) throw new HttpError(422, 'validation', '走访人员应包括记录人本人')
    if (!f.householdId && !f.place.trim()) throw new HttpError(422, 'validation', '请选择联系户或填写走访地点')
    await checkHousehold(f.householdId)
    await checkPeople(trx, viewer, f.memberIds)
    await trx
      .insertInto('visits')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: viewer.branchId,
        household_id: f.householdId,
        place: f.place,
        visited_at: new Date(f.visitedAt).toISOString(),
        member_ids: JSON.stringify([...new Set(f.memberIds)]),
        findings: f.findings,
        problems: f.problems,
        location: f.location,
        photo_ids: JSON.stringify([...new Set(f.photoIds)]),
        created_by: viewer.id,
        created_at: f.createdAt,
        updated_at: nowIso(),
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('visits', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  const set = patchColumns(m, fields, visitFields, visitColumns, WRITABLE.visits.mergeText, existing, ['createdAt', 'branchId'])
  if ('household_id' in set) await checkHousehold(set.household_id as string | null)
  if ('member_ids' in set) {
    const ids = JSON.parse(set.member_ids as string) as string[]
    // The one who recorded the visit stays among those who went (as when it was created).
    if (!ids.includes(existing.created_by)) throw new HttpError(422, 'validation', '走访人员应包括记录人')
    await checkPeople(trx, viewer, ids)
  }
  if ('visited_at' in set) set.visited_at = new Date(set.visited_at as string).toISOString()
  if (Object.keys(set).length === 0) return
  // Those who went see the visit and its follow-ups; the household's members see the visit.
  if ('member_ids' in set)
    await rescope(trx, changedIds(JSON.parse(existing.member_ids) as string[], JSON.parse(set.member_ids as string) as string[]))
  if ('household_id' in set && set.household_id !== existing.household_id)
    await rescope(trx, await linkedMembers(trx, [existing.household_id, set.household_id as string | null]))
  await trx
    .updateTable('visits')
    .set({ ...set, updated_at: nowIso(), seq: 0 })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('visits', m.rowId)
}

export const visits = writableTable({
  table: 'visits',
  read: (db, viewer) => db.selectFrom('visits').selectAll().where(visitScope(viewer)),
  toWire: (rows) => rows.map(visitToWire),
  apply: applyVisitMutation,
})
