import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'
import type { SessionUser } from '../../core/schemas/auth.ts'

export async function findUserByPhone(db: Kysely<Database>, phone: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'totp_enabled_at', 'name'])
    .where('phone', '=', phone)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
}

/** The account as the client keeps it; `requireAdminTwoFactor`: an administrator without two-factor login is told to enrol. */
export async function sessionUser(db: Kysely<Database>, userId: string, requireAdminTwoFactor = false): Promise<SessionUser | null> {
  const r = await db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.org_id')
    .leftJoin('branches', 'branches.id', 'users.branch_id')
    .select([
      'users.id',
      'users.org_id',
      'organizations.name as org_name',
      'users.branch_id',
      'branches.name as branch_name',
      'users.name',
      'users.phone',
      'users.role',
      'users.totp_enabled_at',
      'users.password_weak',
      'organizations.demo',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst()
  if (!r) return null
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    branchId: r.branch_id,
    branchName: r.branch_name ?? null,
    name: r.name,
    phone: r.phone,
    role: r.role,
    ...(requireAdminTwoFactor && r.role === 'admin' && !r.totp_enabled_at && Number(r.demo) !== 1 && { mustEnrolTwoFactor: true }),
    ...(Number(r.password_weak) === 1 && { mustChangePassword: true }),
  }
}

/** The account just signed in, set up or activated (it exists: the caller has just found or made it). */
export async function signedIn(db: Kysely<Database>, userId: string, requireAdminTwoFactor = false): Promise<SessionUser> {
  const user = await sessionUser(db, userId, requireAdminTwoFactor)
  if (!user) throw new Error(`user ${userId} vanished while signing in`)
  return user
}

/** The person's new password (from an activation code); the account is activated. */
export async function setPassword(db: Kysely<Database>, userId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, activated: 1, password_weak: 0, updated_at: nowIso() })
    .where('id', '=', userId)
    .execute()
}

/** Whether the password just used breaks the policy (recorded at login; cleared by a new password). */
export async function markPasswordWeak(db: Kysely<Database>, userId: string, weak: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_weak: weak ? 1 : 0 })
    .where('id', '=', userId)
    .where('password_weak', '!=', weak ? 1 : 0)
    .execute()
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * What these people may see changed: their devices drop their synced rows and pull again at
 * their next sync (unsent changes are kept and pushed first).
 */
export async function changeScope(trx: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await trx
    .updateTable('users')
    .set((eb) => ({ scope_version: eb('scope_version', '+', 1) }))
    .where('id', 'in', ids)
    .execute()
}
