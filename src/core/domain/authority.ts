import type { Role } from './roles.ts'

/**
 * Who manages what, for both ends: the server authorises every read and write with these, and the
 * client shows or hides the same actions with the same rules (never as the only check).
 */
export interface Actor {
  id: string
  role: Role
  /** The person's branch; null for the organ's leadership and unplaced administrators. */
  branchId: string | null
}

/** Secretaries manage their branch; administrators the whole organisation. */
export const isManager = (role: Role): boolean => role === 'secretary' || role === 'admin'

export const isAdmin = (role: Role): boolean => role === 'admin'

/**
 * May this person manage that branch (its people, meetings, households, ledgers)? A null branch is
 * the organ's leadership: administrators only.
 */
export function managesBranch(actor: Pick<Actor, 'role' | 'branchId'>, branchId: string | null): boolean {
  if (actor.role === 'admin') return true
  return actor.role === 'secretary' && actor.branchId !== null && actor.branchId === branchId
}
