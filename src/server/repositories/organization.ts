import type { Kysely } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database } from '../db/schema.ts'
import { newId } from '../../core/ids.ts'
import type { MemberStatus, Role } from '../../core/domain/roles.ts'
import { hashPassword } from '../lib/passwords.ts'
import { nowIso } from '../lib/time.ts'
import { nextSeq } from './sequence.ts'
import { chinaToday } from '../../core/domain/china-time.ts'

export async function createOrganization(trx: Kysely<Database>, name: string): Promise<string> {
  const id = newId()
  await trx.insertInto('organizations').values({ id, name, created_at: nowIso() }).execute()
  return id
}

/** The organisation's own meeting rules (JSON; null: the defaults) and when it was set up. */
export async function organizationRules(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('organizations').select(['rules', 'created_at']).where('id', '=', orgId).executeTakeFirstOrThrow()
}

export async function setOrganizationRules(db: Kysely<Database>, orgId: string, rules: string | null): Promise<void> {
  await db.updateTable('organizations').set({ rules }).where('id', '=', orgId).execute()
}

/** A new branch; what it owes is judged from the day it is set up (`startedOn`, China date). */
export async function createBranch(
  trx: Kysely<Database>,
  orgId: string,
  name: string,
  startedOn = chinaToday(new Date()),
): Promise<string> {
  const id = newId()
  await trx
    .insertInto('branches')
    .values({ id, org_id: orgId, name, archived: 0, seq: await nextSeq(trx), updated_at: nowIso(), started_on: startedOn })
    .execute()
  return id
}

export interface NewUser {
  orgId: string
  branchId: string | null
  name: string
  phone: string
  role: Role
  /** Either a password or an already computed hash (the demo seeds share one). */
  password?: string
  passwordHash?: string
  /** false: the person sets their own password with an activation code first. */
  activated?: boolean
  status?: MemberStatus
  groupId?: string | null
  note?: string
  leadership?: boolean
  committee?: boolean
  joinedPartyOn?: string | null
  fullMemberOn?: string | null
}

export async function createUser(trx: Kysely<Database>, u: NewUser): Promise<string> {
  const id = newId()
  const now = nowIso()
  const hash = u.passwordHash ?? (await hashPassword(u.password ?? randomUUID()))
  await trx
    .insertInto('users')
    .values({
      id,
      org_id: u.orgId,
      branch_id: u.branchId,
      name: u.name,
      phone: u.phone,
      password_hash: hash,
      role: u.role,
      created_at: now,
      updated_at: now,
      seq: await nextSeq(trx),
      group_id: u.groupId ?? null,
      status: u.status ?? 'full',
      note: u.note ?? '',
      leadership: u.leadership ? 1 : 0,
      committee: u.committee ? 1 : 0,
      scope_version: 0,
      activated: u.activated === false ? 0 : 1,
      removed_at: null,
      joined_party_on: u.joinedPartyOn ?? null,
      full_member_on: u.fullMemberOn ?? null,
    })
    .execute()
  return id
}
