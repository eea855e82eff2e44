import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** The latest reminder delivery failures of an organisation, with who and whether a later channel delivered. */
export async function recentFailures(db: Kysely<Database>, orgId: string, limit: number) {
  return db
    .selectFrom('reminder_failures as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .leftJoin('reminders_sent as s', (j) =>
      j.onRef('s.user_id', '=', 'f.user_id').onRef('s.kind', '=', 'f.kind').onRef('s.key', '=', 'f.key'),
    )
    .select([
      'f.user_id',
      'u.name',
      'f.kind',
      'f.channel',
      'f.reason',
      'f.attempts',
      'f.last_at',
      's.channel as sent_channel',
      's.delivered',
    ])
    .where('f.org_id', '=', orgId)
    .orderBy('f.last_at', 'desc')
    .orderBy('f.user_id')
    .limit(limit)
    .execute()
}

/** How many reminders failed on some channel since `since`. */
export async function failureCount(db: Kysely<Database>, orgId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('reminder_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('org_id', '=', orgId)
    .where('last_at', '>=', since)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

export async function setWecomUserId(db: Kysely<Database>, userId: string, wecomUserId: string | null): Promise<void> {
  await db.updateTable('users').set({ wecom_userid: wecomUserId }).where('id', '=', userId).execute()
}
