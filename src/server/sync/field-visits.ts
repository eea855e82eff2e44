import * as v from 'valibot'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { followupCloseFields, followupFields, householdFields, visitFields } from '../../core/schemas/entities.ts'
import { mergeText, WRITABLE } from '../../core/sync/tables.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { PendingSeqs } from '../repositories/sequence.ts'
import type { Viewer } from '../lib/viewer.ts'
import { requireOrgPeople } from './org-people.ts'
import { followupToWire, householdToWire, visitToWire } from './wire.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import { followupScope, householdScope, visitScope } from './pull.ts'
import { branchSecretaries, changedIds, linkedMembers, rescope } from './scope-changes.ts'

const parse = <S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> => {
  const r = v.safeParse(schema, value)
  if (!r.success) throw new HttpError(422, 'validation', issuesToMessage(r.issues, schema))
  return r.output
}

const checkPeople = (trx: Kysely<Database>, viewer: Viewer, ids: readonly string[]) =>
  requireOrgPeople(trx, viewer, ids, '人员中有不属于本组织的人')

/** Apply the fields a mutation names onto a row, merging the free texts that merge. */
function patchOf<F extends Record<string, v.GenericSchema>>(
  fields: Record<string, unknown>,
  schema: F,
  columns: Record<keyof F & string, string>,
  mergeable: readonly string[],
  existing: Record<string, unknown>,
  base: Record<string, unknown> | undefined,
  fixed: readonly string[] = ['createdAt'],
): Record<string, unknown> {
  const set: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in schema)) throw new HttpError(422, 'validation', `未知字段：${key.slice(0, 40)}`)
    if (fixed.includes(key)) continue
    let out: unknown = parse(schema[key] as v.GenericSchema, value)
    const column = columns[key as keyof F & string]
    if (mergeable.includes(key))
      out = mergeText(typeof base?.[key] === 'string' ? (base[key] as string) : undefined, String(existing[column]), String(out))
    set[column] = Array.isArray(out) ? JSON.stringify([...new Set(out as string[])]) : out
  }
  return set
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
  createdAt: 'created_at',
} as const

/** 双联系 households: kept by the branch's secretary (and administrators). */
export async function applyHouseholdMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
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
    await checkPeople(trx, viewer, f.memberIds)
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
  const set = patchOf(fields, householdFields, householdColumns, WRITABLE.households.mergeText, existing, m.base)
  if ('branch_id' in set && !managesBranch(viewer, set.branch_id as string)) throw new HttpError(403, 'forbidden', '只能调整到本支部')
  if ('member_ids' in set) await checkPeople(trx, viewer, JSON.parse(set.member_ids as string) as string[])
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
export async function applyVisitMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
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
  const set = patchOf(fields, visitFields, visitColumns, WRITABLE.visits.mergeText, existing, m.base, ['createdAt', 'branchId'])
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

/** Follow-ups: created by those who went; closed (with a note) by their owner or the branch's secretary. */
export async function applyFollowupMutation(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void> {
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

export async function visibleHouseholdRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('households').selectAll().where('id', '=', id).where(householdScope(viewer)).executeTakeFirst()
  return r ? { ...householdToWire(r) } : null
}
export async function visibleVisitRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('visits').selectAll().where('id', '=', id).where(visitScope(viewer)).executeTakeFirst()
  return r ? { ...visitToWire(r) } : null
}
export async function visibleFollowupRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('followups').selectAll().where('id', '=', id).where(followupScope(viewer)).executeTakeFirst()
  return r ? { ...followupToWire(r) } : null
}
