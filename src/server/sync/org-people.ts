import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { HttpError } from '../lib/http-error.ts'
import type { Viewer } from '../lib/viewer.ts'

/** Refuse ids that are not current people of the viewer's organisation (expected attendees, visit members, owners). */
export async function requireOrgPeople(trx: Kysely<Database>, viewer: Viewer, ids: readonly string[], message: string): Promise<void> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return
  const found = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', viewer.orgId)
    .where('removed_at', 'is', null)
    .where('id', 'in', unique)
    .execute()
  if (found.length !== unique.length) throw new HttpError(422, 'validation', message)
}

/** The people named on a household, a visit or a follow-up. */
export const requireFieldPeople = (trx: Kysely<Database>, viewer: Viewer, ids: readonly string[]) =>
  requireOrgPeople(trx, viewer, ids, '人员中有不属于本组织的人')
