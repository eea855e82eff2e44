import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'
import { meetingWire } from './meetings.ts'

/** When the person's calendar link was made, if they have one. */
export async function feedOf(db: Kysely<Database>, userId: string) {
  return db.selectFrom('calendar_feeds').select('created_at').where('user_id', '=', userId).executeTakeFirst()
}

/** A new link for the person (stored by its hash); the old one ends. */
export async function replaceFeed(db: Kysely<Database>, userId: string, tokenHash: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute()
    await trx.insertInto('calendar_feeds').values({ user_id: userId, token_hash: tokenHash, created_at: nowIso() }).execute()
  })
}

export async function removeFeed(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute()
}

/** The person a feed's token hash belongs to. */
export async function feedOwner(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .select(['users.id', 'users.name', 'users.joined_party_on'])
    .where('calendar_feeds.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** The meetings a person is expected at from `since` on, oldest first (at most 200), as the calendar shows them. */
export async function expectedMeetings(db: Kysely<Database>, userId: string, since: string) {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'type', 'topic', 'starts_at', 'duration_minutes', 'place', 'agenda', 'deleted'])
    .where('expected_ids', 'like', `%"${userId}"%`)
    .where('starts_at', '>=', since)
    .orderBy('starts_at')
    .limit(200)
    .execute()
  return rows.map(meetingWire)
}
