import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'

/** A browser's subscription as the person's device hands it over. */
export interface NewSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

/** When each of the person's devices last got a notification. */
export async function subscriptionsOf(db: Kysely<Database>, userId: string) {
  return db.selectFrom('push_subscriptions').select(['endpoint', 'created_at', 'last_sent_at']).where('user_id', '=', userId).execute()
}

/** What sending to each of the person's devices needs. */
export async function sendTargetsOf(db: Kysely<Database>, userId: string) {
  return db.selectFrom('push_subscriptions').select(['endpoint', 'p256dh', 'auth']).where('user_id', '=', userId).execute()
}

/**
 * One browser, one subscription: the endpoint moves to this person (another person signed in on
 * the same phone). Past `max` subscriptions the person's oldest goes: an old phone that was never
 * unsubscribed should not block a new one.
 */
export async function subscribe(db: Kysely<Database>, userId: string, sub: NewSubscription, userAgent: string, max: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('push_subscriptions').where('endpoint', '=', sub.endpoint).execute()
    const count = await trx
      .selectFrom('push_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow()
    if (Number(count.n) >= max) {
      const oldest = await trx
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .executeTakeFirstOrThrow()
      await trx.deleteFrom('push_subscriptions').where('endpoint', '=', oldest.endpoint).execute()
    }
    await trx
      .insertInto('push_subscriptions')
      .values({
        endpoint: sub.endpoint,
        user_id: userId,
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
        user_agent: userAgent,
        created_at: nowIso(),
        last_sent_at: null,
      })
      .execute()
  })
}

/** The person's own subscription at that endpoint ends. */
export async function unsubscribe(db: Kysely<Database>, userId: string, endpoint: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).where('user_id', '=', userId).execute()
}

/** A subscription the push service says is gone. */
export async function removeSubscription(db: Kysely<Database>, endpoint: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute()
}
