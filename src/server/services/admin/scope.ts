import type { Kysely, Selectable } from 'kysely'
import type { Database, UserTable } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { HttpError } from '../../lib/http-error.ts'
import { isAdmin, isManager, managesBranch } from '../../../core/domain/authority.ts'

/**
 * Who may manage whom: an administrator everyone in the organisation; a branch secretary the
 * people of their own branch; a member nobody. Every administrative route goes through here.
 */
export function requireManager(viewer: Viewer): void {
  if (!isManager(viewer.role)) throw new HttpError(403, 'forbidden', '只有党支部书记和管理员可以进行此操作')
}

export function requireAdmin(viewer: Viewer): void {
  if (!isAdmin(viewer.role)) throw new HttpError(403, 'forbidden', '只有机关党委管理员可以进行此操作')
}

export async function managedPerson(trx: Kysely<Database>, viewer: Viewer, userId: string): Promise<Selectable<UserTable>> {
  requireManager(viewer)
  const person = await trx
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .where('org_id', '=', viewer.orgId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  // Someone outside the viewer's scope is "not found", not "forbidden": their existence is not disclosed.
  if (!person || !managesBranch(viewer, person.branch_id)) throw new HttpError(404, 'not_found', '找不到此人员')
  return person
}

export async function branchOfOrg(trx: Kysely<Database>, viewer: Viewer, branchId: string) {
  const b = await trx.selectFrom('branches').selectAll().where('id', '=', branchId).where('org_id', '=', viewer.orgId).executeTakeFirst()
  if (!b) throw new HttpError(404, 'not_found', '找不到此党支部')
  return b
}

export async function groupOfBranch(trx: Kysely<Database>, viewer: Viewer, groupId: string | null, branchId: string | null): Promise<void> {
  if (groupId === null) return
  const g = await trx
    .selectFrom('party_groups')
    .select(['branch_id', 'archived'])
    .where('id', '=', groupId)
    .where('org_id', '=', viewer.orgId)
    .executeTakeFirst()
  if (!g || g.branch_id !== branchId) throw new HttpError(422, 'validation', '党小组不属于该党支部')
  if (g.archived === 1) throw new HttpError(422, 'validation', '该党小组已撤销')
}
