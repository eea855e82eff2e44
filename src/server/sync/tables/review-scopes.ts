import type { ExpressionBuilder, Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'

type ReviewTable = 'review_cycles' | 'review_papers' | 'review_grades'

/**
 * The branches whose committee (支部委员会: its secretary and 支部委员) the viewer sits on, as a
 * subquery: the viewer's own branch when they are its secretary or marked 支部委员. Administrators
 * are not on a branch committee by being administrators (docs/review-ballots.md, "Who reads what").
 */
export function committeeBranches(v: Viewer) {
  return (eb: ExpressionBuilder<Database, ReviewTable>) =>
    eb
      .selectFrom('users')
      .select('users.branch_id')
      .where('users.id', '=', v.id)
      .where('users.removed_at', 'is', null)
      .where((u) => u.or([u('users.role', '=', 'secretary'), u('users.committee', '=', 1)]))
}

/** Is the viewer on the committee of that branch (the secretary or a 支部委员)? */
export async function onCommittee(db: Kysely<Database>, v: Viewer, branchId: string): Promise<boolean> {
  if (v.branchId !== branchId) return false
  const row = await db
    .selectFrom('users')
    .select(['role', 'committee', 'branch_id'])
    .where('id', '=', v.id)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return !!row && row.branch_id === branchId && (row.role === 'secretary' || row.committee === 1)
}

/** The branch's secretary (not an administrator, not another 委员): opens and closes the cycle's ballot, enters paper tallies. */
export const isBranchSecretary = (v: Viewer, branchId: string): boolean => v.role === 'secretary' && v.branchId === branchId
