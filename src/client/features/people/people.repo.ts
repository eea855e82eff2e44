import { isAdmin, managesBranch } from '../../../core/domain/authority.ts'
import { sortByName } from '../../../core/domain/order.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { UserProfile } from '../../../core/schemas/entities.ts'
import type { AccountDb } from '../../db/account-db.ts'

/** Everyone synced to this phone (the server decided whom this person may see), those removed included. */
export async function everyone(db: AccountDb): Promise<UserProfile[]> {
  return db.users.toArray()
}

/** The people still in the organisation (or branch) on this phone, by name (pinyin). */
export async function activePeople(db: AccountDb): Promise<UserProfile[]> {
  return sortByName((await everyone(db)).filter((u) => !u.removed))
}

/**
 * Whom a manager looks after, themselves included: the branch for a secretary, the organisation for
 * an administrator, nobody for a member. Those removed included (the caller decides).
 */
export async function managedPeople(db: AccountDb, user: Pick<SessionUser, 'role' | 'branchId'>): Promise<UserProfile[]> {
  if (isAdmin(user.role)) return everyone(db)
  if (user.branchId && managesBranch(user, user.branchId)) return db.users.where('branchId').equals(user.branchId).toArray()
  return []
}
