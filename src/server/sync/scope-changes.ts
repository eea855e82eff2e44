import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { changeScope } from '../repositories/users.ts'

/**
 * The one mechanism by which rows leave (or arrive complete on) a person's devices when who may
 * see them changes: every person whose visibility changed gets a new scope version, in the same
 * transaction as the change, and their next pull answers `reset: true` (docs/sync.md, "Scope
 * changes"). Writers call this whenever they change a column that a read scope depends on:
 * households.member_ids, visits.member_ids and household_id, followups.owner_id,
 * meetings.expected_ids and branch_id, households.branch_id, and (administration) a person's
 * branch or role.
 */
export async function rescope(trx: Kysely<Database>, ids: Iterable<string>): Promise<void> {
  await changeScope(trx, [...new Set(ids)])
}

/** Ids in one list and not the other (either way). */
export function changedIds(before: readonly string[], after: readonly string[]): string[] {
  const a = new Set(before)
  const b = new Set(after)
  return [...[...a].filter((id) => !b.has(id)), ...[...b].filter((id) => !a.has(id))]
}

/** Ids that were in `before` and are not in `after`. */
export function removedIds(before: readonly string[], after: readonly string[]): string[] {
  const b = new Set(after)
  return before.filter((id) => !b.has(id))
}

/** The secretaries of these branches: they read everything of their branch. */
export async function branchSecretaries(trx: Kysely<Database>, orgId: string, branchIds: readonly (string | null)[]): Promise<string[]> {
  const ids = branchIds.filter((b): b is string => b !== null)
  if (ids.length === 0) return []
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'secretary')
    .where('branch_id', 'in', ids)
    .execute()
  return rows.map((r) => r.id)
}

/** The members linked to these households. */
export async function linkedMembers(trx: Kysely<Database>, householdIds: readonly (string | null)[]): Promise<string[]> {
  const ids = householdIds.filter((h): h is string => h !== null)
  if (ids.length === 0) return []
  const rows = await trx.selectFrom('households').select('member_ids').where('id', 'in', ids).execute()
  return rows.flatMap((r) => JSON.parse(r.member_ids) as string[])
}
