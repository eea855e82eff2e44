import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { newId } from '../../core/ids.ts'
import { nowIso } from '../lib/time.ts'
import { nextSeq } from './sequence.ts'

/** Branches (党支部) and party groups (党小组) of an organisation. */

export async function organizationName(db: Kysely<Database>, orgId: string): Promise<string> {
  return (await db.selectFrom('organizations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()).name
}

export async function branchesOf(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('branches').selectAll().where('org_id', '=', orgId).execute()
}

/** The branches in use (not archived): ids and names. */
export async function activeBranches(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('branches').select(['id', 'name']).where('org_id', '=', orgId).where('archived', '=', 0).execute()
}

export async function groupsOf(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('party_groups').selectAll().where('org_id', '=', orgId).execute()
}

/** The groups in use (not archived). */
export async function activeGroups(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('party_groups').select(['id', 'branch_id', 'name']).where('org_id', '=', orgId).where('archived', '=', 0).execute()
}

/** People not removed, counted by branch (null: no branch). */
export async function memberCounts(db: Kysely<Database>, orgId: string) {
  const rows = await db
    .selectFrom('users')
    .select(['branch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('removed_at', 'is', null)
    .groupBy('branch_id')
    .execute()
  return rows.map((r) => ({ branchId: r.branch_id, n: Number(r.n) }))
}

/** A branch of the organisation by that name, archived or not. */
export async function branchNamed(db: Kysely<Database>, orgId: string, name: string) {
  return db.selectFrom('branches').select('id').where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst()
}

/** The id of the branch in use by that name (the caller knows it exists). */
export async function activeBranchId(db: Kysely<Database>, orgId: string, name: string): Promise<string> {
  const b = await db
    .selectFrom('branches')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .where('archived', '=', 0)
    .executeTakeFirstOrThrow()
  return b.id
}

/** Does anyone (not removed) still belong to the branch? */
export async function branchHasPeople(db: Kysely<Database>, branchId: string): Promise<boolean> {
  const left = await db
    .selectFrom('users')
    .select('id')
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return left !== undefined
}

/** A renamed, archived or restored branch: a new number, so every phone pulls it again. */
export async function updateBranch(trx: Kysely<Database>, id: string, patch: { name?: string; archived?: boolean }): Promise<void> {
  await trx
    .updateTable('branches')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.archived !== undefined && { archived: patch.archived ? 1 : 0 }),
      updated_at: nowIso(),
      seq: await nextSeq(trx),
    })
    .where('id', '=', id)
    .execute()
}

/** A branch's groups travel with its row (党小组会 on the phone): the row gets a new number. */
export async function groupsChanged(trx: Kysely<Database>, branchId: string): Promise<void> {
  await trx
    .updateTable('branches')
    .set({ seq: await nextSeq(trx), updated_at: nowIso() })
    .where('id', '=', branchId)
    .execute()
}

/** A new party group of a branch (the caller then calls groupsChanged). */
export async function createGroup(trx: Kysely<Database>, orgId: string, branchId: string, name: string): Promise<string> {
  const id = newId()
  await trx.insertInto('party_groups').values({ id, org_id: orgId, branch_id: branchId, name, archived: 0, updated_at: nowIso() }).execute()
  return id
}

export async function groupOfOrg(db: Kysely<Database>, orgId: string, id: string) {
  return db.selectFrom('party_groups').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst()
}

export async function updateGroup(trx: Kysely<Database>, id: string, patch: { name?: string; archived?: boolean }): Promise<void> {
  await trx
    .updateTable('party_groups')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.archived !== undefined && { archived: patch.archived ? 1 : 0 }),
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .execute()
}

/** The people in a party group. */
export async function groupMemberIds(db: Kysely<Database>, groupId: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('group_id', '=', groupId).execute()).map((r) => r.id)
}

/** The first steps' progress: branches in use, people other than administrators, who of them has not activated, and who of those holds a valid code. */
export async function onboardingCounts(db: Kysely<Database>, orgId: string) {
  const branches = await db.selectFrom('branches').select('id').where('org_id', '=', orgId).where('archived', '=', 0).execute()
  const people = await db
    .selectFrom('users')
    .select(['id', 'activated'])
    .where('org_id', '=', orgId)
    .where('removed_at', 'is', null)
    .where('role', '!=', 'admin')
    .execute()
  const waiting = people.filter((p) => p.activated === 0).map((p) => p.id)
  const withCode = waiting.length
    ? await db
        .selectFrom('activation_codes')
        .select('user_id')
        .distinct()
        .where('user_id', 'in', waiting)
        .where('used_at', 'is', null)
        .where('expires_at', '>', nowIso())
        .execute()
    : []
  return { branches: branches.length, people: people.length, notActivated: waiting.length, withCode: withCode.length }
}

/** A page of the audit log, newest first: 100 entries before `before` (an entry id), with the actor's name. */
export async function auditPage(db: Kysely<Database>, orgId: string, before: string | undefined) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.at', 'users.name as actor', 'audit_log.action', 'audit_log.summary', 'audit_log.device'])
    .where('audit_log.org_id', '=', orgId)
  if (before) q = q.where('audit_log.id', '<', before)
  const rows = await q.orderBy('audit_log.id', 'desc').limit(100).execute()
  return rows.map((r) => ({ ...r, actor: r.actor ?? UNKNOWN_ACTOR }))
}

/** Who an entry names when nobody was signed in and no account matched (a failed login), or the job. */
export const UNKNOWN_ACTOR = '（无此账号或系统）'

/** The entries of [from, to) (ISO instants), oldest first, for the export (at most `limit`). */
export async function auditRange(db: Kysely<Database>, orgId: string, from: string, to: string, limit: number) {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select([
      'audit_log.at',
      'users.name as actor',
      'users.phone as actor_phone',
      'audit_log.action',
      'audit_log.summary',
      'audit_log.ip',
      'audit_log.device',
      'audit_log.target_id',
    ])
    .where('audit_log.org_id', '=', orgId)
    .where('audit_log.at', '>=', from)
    .where('audit_log.at', '<', to)
    .orderBy('audit_log.at')
    .orderBy('audit_log.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ ...r, actor: r.actor ?? UNKNOWN_ACTOR, actor_phone: r.actor_phone ?? '' }))
}
