import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { HttpError } from '../../lib/http-error.ts'

/** The person a 党费 row is about: in the viewer's organisation and not removed. */
export async function duesMember(trx: Kysely<Database>, viewer: Viewer, memberId: string) {
  const m = await trx
    .selectFrom('users')
    .select(['id', 'branch_id', 'joined_party_on', 'name'])
    .where('id', '=', memberId)
    .where('org_id', '=', viewer.orgId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (!m) throw new HttpError(404, 'not_found', '找不到此党员')
  return m
}

/** Is the viewer the 收缴员 of this branch (and still in it)? */
export async function collectsFor(trx: Kysely<Database>, viewer: Viewer, branchId: string | null): Promise<boolean> {
  if (branchId === null || viewer.branchId !== branchId) return false
  const b = await trx.selectFrom('branches').select('dues_collector_id').where('id', '=', branchId).executeTakeFirst()
  return b?.dues_collector_id === viewer.id
}

/** The branch's 收缴员, or its secretary as a backup: those who record receipts. */
export async function recordsReceiptsFor(trx: Kysely<Database>, viewer: Viewer, branchId: string | null): Promise<boolean> {
  if (branchId === null) return false
  if (viewer.role === 'secretary' && viewer.branchId === branchId) return true
  return collectsFor(trx, viewer, branchId)
}
