import type { Selectable } from 'kysely'
import type { UserTable } from '../../db/schema.ts'
import { partyDateFields, type UserProfile } from '../../../core/schemas/entities.ts'
import { checkPartyDates } from '../../../core/domain/political-birthday.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { isAdmin, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parsePatch, writableTable, type Apply, type Scope } from '../table-module.ts'

/** People: administrators see the organisation; others themselves and their branch. */
export function userScope(v: Viewer): Scope<'users'> {
  return (eb) =>
    isAdmin(v.role)
      ? eb.and([eb('org_id', '=', v.orgId)])
      : eb.and([eb('org_id', '=', v.orgId), eb.or([eb('id', '=', v.id), eb('branch_id', '=', v.branchId)])])
}

/** The columns of a person's row that go on the wire. */
export const USER_WIRE_COLUMNS = [
  'id',
  'org_id',
  'branch_id',
  'name',
  'role',
  'joined_party_on',
  'full_member_on',
  'removed_at',
  'group_id',
  'committee',
] as const
type UserColumns = Pick<Selectable<UserTable>, (typeof USER_WIRE_COLUMNS)[number]>

/** Party dates are political records: only the person, their branch's secretary and administrators see them. */
export function maySeePartyDates(viewer: Viewer, r: Pick<UserColumns, 'id' | 'branch_id'>): boolean {
  return viewer.id === r.id || managesBranch(viewer, r.branch_id)
}

export function userToWire(r: UserColumns, viewer: Viewer): UserProfile {
  const dates = maySeePartyDates(viewer, r)
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    name: r.name,
    role: r.role,
    removed: r.removed_at !== null,
    groupId: r.group_id,
    committee: r.committee === 1,
    joinedPartyOn: dates ? r.joined_party_on : null,
    fullMemberOn: dates ? r.full_member_on : null,
  }
}

/** A member sets their own 入党日期 and 转正日期; nothing else of a person is written through sync. */
export const applyUserMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op !== 'upsert' || m.rowId !== viewer.id) throw new HttpError(403, 'forbidden', '只能修改本人的党员信息')
  const existing = await trx
    .selectFrom('users')
    .select(['joined_party_on', 'full_member_on'])
    .where('id', '=', viewer.id)
    .executeTakeFirst()
  if (!existing) throw new HttpError(404, 'not_found')
  const next = { joined_party_on: existing.joined_party_on, full_member_on: existing.full_member_on }
  const patch = parsePatch(partyDateFields, m.fields ?? {}, '不能修改的字段')
  if (patch.joinedPartyOn !== undefined) next.joined_party_on = patch.joinedPartyOn
  if (patch.fullMemberOn !== undefined) next.full_member_on = patch.fullMemberOn
  const problem = checkPartyDates(next.joined_party_on, next.full_member_on, chinaToday(new Date()))
  if (problem) throw new HttpError(422, 'validation', problem)
  await trx
    .updateTable('users')
    .set({ ...next, updated_at: nowIso(), seq: 0 })
    .where('id', '=', viewer.id)
    .execute()
  seqs.mark('users', viewer.id)
}

export const users = writableTable({
  table: 'users',
  read: (db, viewer) =>
    db
      .selectFrom('users')
      .select([...USER_WIRE_COLUMNS, 'seq'])
      .where(userScope(viewer)),
  toWire: (rows, viewer) => rows.map((r) => userToWire(r, viewer)),
  apply: applyUserMutation,
})
