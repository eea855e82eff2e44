import type { Kysely, Selectable } from 'kysely'
import type { Database, UserTable } from '../../db/schema.ts'
import type { MembershipEventKind, Person } from '../../../core/schemas/people.ts'
import { newId } from '../../../core/ids.ts'
import { nextSeq } from '../../repositories/sequence.ts'
import { nowIso } from '../../lib/time.ts'

/** A password hash no password matches: the person has not set theirs yet (activation pending). */
export const NO_PASSWORD = '!unset'

export function personToWire(r: Selectable<UserTable>): Person {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    branchId: r.branch_id,
    groupId: r.group_id,
    role: r.role,
    status: r.status,
    joinedPartyOn: r.joined_party_on,
    fullMemberOn: r.full_member_on,
    note: r.note,
    leadership: r.leadership === 1,
    committee: r.committee === 1,
    activated: r.activated === 1,
  }
}

/** Write a person's row and give it a new change number, so every device in scope hears of it. */
export async function updatePerson(
  trx: Kysely<Database>,
  id: string,
  patch: Partial<Omit<Selectable<UserTable>, 'id' | 'seq'>>,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ ...patch, updated_at: nowIso(), seq: await nextSeq(trx) })
    .where('id', '=', id)
    .execute()
}

export async function recordEvent(
  trx: Kysely<Database>,
  e: {
    orgId: string
    userId: string
    kind: MembershipEventKind
    from: string | null
    to: string | null
    date: string
    note: string
    actorId: string | null
  },
): Promise<void> {
  await trx
    .insertInto('membership_events')
    .values({
      id: newId(),
      org_id: e.orgId,
      user_id: e.userId,
      kind: e.kind,
      from_branch_id: e.from,
      to_branch_id: e.to,
      date: e.date,
      note: e.note,
      actor_id: e.actorId,
      at: nowIso(),
    })
    .execute()
}

export async function phoneTaken(trx: Kysely<Database>, phone: string, exceptId?: string): Promise<boolean> {
  let q = trx.selectFrom('users').select('id').where('phone', '=', phone)
  if (exceptId) q = q.where('id', '!=', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}
