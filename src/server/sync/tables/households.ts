import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { HouseholdTable } from '../../db/schema.ts'
import { householdFields, type Household } from '../../../core/schemas/entities.ts'
import { WRITABLE } from '../../../core/sync/tables.ts'
import { isAdmin, isManager, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { requireFieldPeople as checkPeople } from '../org-people.ts'
import { branchSecretaries, changedIds, rescope } from '../scope-changes.ts'
import { parse, patchColumns, writableTable, type Apply, type Scope } from '../table-module.ts'

/** Households (personal data): their linked members, the branch's secretary, administrators. */
export function householdScope(v: Viewer): Scope<'households'> {
  return (eb) => {
    const linked = eb('member_ids', 'like', `%"${v.id}"%`)
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId) return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), linked])])
    return eb.and([eb('org_id', '=', v.orgId), linked])
  }
}

export function householdToWire(r: Selectable<HouseholdTable>): Household {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    name: r.name,
    address: r.address,
    village: r.village,
    contact: r.contact,
    situation: r.situation,
    needs: r.needs,
    memberIds: JSON.parse(r.member_ids) as string[],
    informedOn: r.informed_on,
    informedBy: r.informed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const householdColumns = {
  branchId: 'branch_id',
  name: 'name',
  address: 'address',
  village: 'village',
  contact: 'contact',
  situation: 'situation',
  needs: 'needs',
  memberIds: 'member_ids',
  informedOn: 'informed_on',
  informedBy: 'informed_by',
  createdAt: 'created_at',
} as const

/** 双联系 households: kept by the branch's secretary (and administrators). */
export const applyHouseholdMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('households').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && (existing.org_id !== viewer.orgId || !managesBranch(viewer, existing.branch_id)))
    throw new HttpError(403, 'forbidden', '联系户由党支部书记管理')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    await trx.updateTable('households').set({ deleted: 1, updated_at: nowIso(), seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('households', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  if (!existing) {
    const f = parse(v.strictObject(householdFields), fields)
    if (!managesBranch(viewer, f.branchId)) throw new HttpError(403, 'forbidden', '联系户由党支部书记管理')
    await checkPeople(trx, viewer, [...f.memberIds, ...(f.informedBy ? [f.informedBy] : [])])
    await trx
      .insertInto('households')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: f.branchId,
        name: f.name,
        address: f.address,
        village: f.village,
        contact: f.contact,
        situation: f.situation,
        needs: f.needs,
        member_ids: JSON.stringify([...new Set(f.memberIds)]),
        informed_on: f.informedOn ?? null,
        informed_by: f.informedBy ?? null,
        created_at: f.createdAt,
        updated_at: nowIso(),
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('households', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  const set = patchColumns(m, fields, householdFields, householdColumns, WRITABLE.households.mergeText, existing)
  if ('branch_id' in set && !managesBranch(viewer, set.branch_id as string)) throw new HttpError(403, 'forbidden', '只能调整到本支部')
  if ('member_ids' in set) await checkPeople(trx, viewer, JSON.parse(set.member_ids as string) as string[])
  if (typeof set.informed_by === 'string') await checkPeople(trx, viewer, [set.informed_by])
  if (Object.keys(set).length === 0) return
  // Linked members see the household and its visits: those linked or unlinked re-pull, so the
  // unlinked lose them and the newly linked receive the earlier visits too.
  if ('member_ids' in set)
    await rescope(trx, changedIds(JSON.parse(existing.member_ids) as string[], JSON.parse(set.member_ids as string) as string[]))
  if ('branch_id' in set && set.branch_id !== existing.branch_id)
    await rescope(trx, await branchSecretaries(trx, viewer.orgId, [existing.branch_id, set.branch_id as string]))
  await trx
    .updateTable('households')
    .set({ ...set, updated_at: nowIso(), seq: 0 })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('households', m.rowId)
}

export const households = writableTable({
  table: 'households',
  read: (db, viewer) => db.selectFrom('households').selectAll().where(householdScope(viewer)),
  toWire: (rows) => rows.map(householdToWire),
  apply: applyHouseholdMutation,
})
