import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** Everything the server holds about one person, as stored (the export shapes it); undefined if there is nobody. */
export async function personalRows(db: Kysely<Database>, userId: string) {
  const profile = await db
    .selectFrom('users')
    .leftJoin('branches', 'branches.id', 'users.branch_id')
    .select([
      'users.name',
      'users.phone',
      'branches.name as branch',
      'users.role',
      'users.status',
      'users.joined_party_on',
      'users.full_member_on',
      'users.note',
      'users.created_at',
      'users.wecom_userid',
      'users.org_id',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst()
  if (!profile) return undefined
  const studyRecords = await db
    .selectFrom('study_records')
    .select(['date', 'kind', 'title', 'minutes', 'notes', 'source_url as sourceUrl', 'created_at as createdAt'])
    .where('owner_id', '=', userId)
    .where('deleted', '=', 0)
    .orderBy('date')
    .execute()
  const oathRenewals = await db
    .selectFrom('oath_renewals')
    .select(['date'])
    .where('owner_id', '=', userId)
    .where('deleted', '=', 0)
    .orderBy('date')
    .execute()
  const events = await db
    .selectFrom('membership_events')
    .leftJoin('branches as f', 'f.id', 'membership_events.from_branch_id')
    .leftJoin('branches as t', 't.id', 'membership_events.to_branch_id')
    .select(['date', 'kind', 'f.name as from', 't.name as to', 'note'])
    .where('user_id', '=', userId)
    .orderBy('at')
    .execute()
  const reminders = await db.selectFrom('reminder_settings').selectAll().where('id', '=', userId).executeTakeFirst()
  const devices = await db
    .selectFrom('sessions')
    .select(['user_agent as device', 'created_at as signedInAt', 'last_seen_at as lastSeenAt'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute()
  const feedback = await db
    .selectFrom('feedback')
    .select(['created_at as createdAt', 'category', 'text', 'anonymous', 'answer', 'answered_at as answeredAt'])
    .where('author_id', '=', userId)
    .where('deleted', '=', 0)
    .orderBy('created_at')
    .execute()
  const consents = await db
    .selectFrom('consent_events')
    .select(['kind', 'version', 'granted', 'at'])
    .where('user_id', '=', userId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  const duesProfile = await db
    .selectFrom('dues_profiles')
    .select(['category', 'base_fen as baseFen', 'from_month as fromMonth', 'checked_on as checkedOn'])
    .where('id', '=', userId)
    .executeTakeFirst()
  const duesPayments = await db
    .selectFrom('dues_payments')
    .select(['received_on as receivedOn', 'kind', 'months', 'amount_fen as amountFen', 'method', 'receipt_no as receiptNo', 'notes'])
    .where('member_id', '=', userId)
    .where('deleted', '=', 0)
    .orderBy('received_on')
    .execute()
  return { profile, studyRecords, oathRenewals, events, reminders, devices, feedback, consents, duesProfile, duesPayments }
}
