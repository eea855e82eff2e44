import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'
import { nextSeq } from './sequence.ts'

/** The organisation's people not removed, or one branch's (a secretary's view). */
export async function peopleOf(db: Kysely<Database>, orgId: string, branchId: string | null) {
  let q = db.selectFrom('users').selectAll().where('org_id', '=', orgId).where('removed_at', 'is', null)
  if (branchId !== null) q = q.where('branch_id', '=', branchId)
  return q.execute()
}

/** A person's row (the caller has just checked or written it). */
export async function personRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** A branch's name (of that organisation, if one is given), or null if there is no such branch. */
export async function branchName(db: Kysely<Database>, branchId: string | null, orgId?: string): Promise<string | null> {
  if (!branchId) return null
  let q = db.selectFrom('branches').select('name').where('id', '=', branchId)
  if (orgId !== undefined) q = q.where('org_id', '=', orgId)
  const b = await q.executeTakeFirst()
  return b?.name ?? null
}

/** Everyone in a branch, removed people included (their devices held the branch's rows too). */
export async function branchPeopleIds(db: Kysely<Database>, branchId: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('branch_id', '=', branchId).execute()).map((r) => r.id)
}

/** People of the organisation who have not activated yet: one branch's, and without administrators if asked. */
export async function notActivated(db: Kysely<Database>, orgId: string, opts: { branchId: string | undefined; withAdmins: boolean }) {
  let q = db
    .selectFrom('users')
    .leftJoin('branches', 'branches.id', 'users.branch_id')
    .select(['users.id', 'users.name', 'users.phone', 'users.role', 'users.branch_id', 'branches.name as branch_name'])
    .where('users.org_id', '=', orgId)
    .where('users.removed_at', 'is', null)
    .where('users.activated', '=', 0)
  if (opts.branchId) q = q.where('users.branch_id', '=', opts.branchId)
  if (!opts.withAdmins) q = q.where('users.role', '!=', 'admin')
  return q.execute()
}

/** A person's moves and transfers, oldest first, with the branches' names. */
export async function membershipEvents(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('membership_events')
    .leftJoin('branches as f', 'f.id', 'membership_events.from_branch_id')
    .leftJoin('branches as t', 't.id', 'membership_events.to_branch_id')
    .select(['membership_events.id', 'kind', 'f.name as from_name', 't.name as to_name', 'date', 'note', 'at'])
    .where('user_id', '=', userId)
    .orderBy('at')
    .execute()
}

/**
 * A removed person's own records and ways in: study records and oath renewals deleted (each a new
 * number, so every phone drops them) and their text blanked, reminders, training flags, push subscriptions and the
 * calendar link gone, unused activation codes spent. Their sessions are signed out by the caller.
 */
export async function eraseOwnData(trx: Kysely<Database>, id: string): Promise<void> {
  for (const table of ['study_records', 'oath_renewals'] as const) {
    const ids = (await trx.selectFrom(table).select('id').where('owner_id', '=', id).where('deleted', '=', 0).execute()).map((r) => r.id)
    for (const rowId of ids) {
      await trx
        .updateTable(table)
        .set({ deleted: 1, updated_at: nowIso(), seq: await nextSeq(trx) })
        .where('id', '=', rowId)
        .execute()
    }
  }
  await trx.updateTable('study_records').set({ title: '', notes: '', source_url: '' }).where('owner_id', '=', id).execute()
  await trx.deleteFrom('reminder_settings').where('id', '=', id).execute()
  // Training flags (年老体弱、患有重病 is about health): gone with the person; their confirmed training stays in the ledger, as 补学 does.
  await trx.deleteFrom('training_profiles').where('user_id', '=', id).execute()
  await trx.deleteFrom('push_subscriptions').where('user_id', '=', id).execute()
  await trx.deleteFrom('calendar_feeds').where('user_id', '=', id).execute()
  // Reminder channels: the WeCom account and the delivery failures go with the person.
  await trx.updateTable('users').set({ wecom_userid: null }).where('id', '=', id).execute()
  await trx.deleteFrom('reminder_failures').where('user_id', '=', id).execute()
  await trx.updateTable('activation_codes').set({ used_at: nowIso() }).where('user_id', '=', id).where('used_at', 'is', null).execute()
}

/** Every phone number with an account, in any organisation (one account per number). */
export async function takenPhones(db: Kysely<Database>): Promise<Set<string>> {
  return new Set((await db.selectFrom('users').select('phone').execute()).map((p) => p.phone))
}

/**
 * 党费 follows a person who moves: their declaration goes to the new branch (its 收缴员 and
 * secretary now read it; the old branch's people are rescoped by the move), receipts stay with
 * the branch they were paid to. A 收缴员 who moves or leaves is no longer the branch's 收缴员.
 */
export async function duesFollowPerson(trx: Kysely<Database>, id: string, to: string | null): Promise<void> {
  const now = nowIso()
  if (to !== null) {
    const profile = await trx.selectFrom('dues_profiles').select('id').where('id', '=', id).executeTakeFirst()
    if (profile)
      await trx
        .updateTable('dues_profiles')
        .set({ branch_id: to, updated_at: now, seq: await nextSeq(trx) })
        .where('id', '=', id)
        .execute()
  }
  const collects = await trx.selectFrom('branches').select('id').where('dues_collector_id', '=', id).execute()
  for (const b of collects)
    await trx
      .updateTable('branches')
      .set({ dues_collector_id: null, updated_at: now, seq: await nextSeq(trx) })
      .where('id', '=', b.id)
      .execute()
}
