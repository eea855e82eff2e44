import type { ExpressionBuilder, Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../../db/schema.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { probationReminders } from '../../../core/domain/probation.ts'
import {
  dueReminders,
  maySendNow,
  DEFAULT_PREFS,
  STUDY_GAP_FROM_DAY,
  type ReminderPerson,
  type ReminderPrefs,
} from '../../../core/domain/reminders.ts'
import type { PushService } from '../push/web-push.ts'
import { channelOrder, deliver, type Channel } from '../../../core/domain/reminder-channels.ts'
import type { Reminder } from '../../../core/domain/reminders.ts'
import { pushChannel } from './channels/push.ts'
import type { ChannelAdapter, OrganChannels, Recipient } from './channels/index.ts'
import { prefsOf } from '../../sync/tables/reminder-settings.ts'
import { nowIso } from '../../lib/time.ts'

export interface JobReport {
  due: number
  sent: number
  /** Subscriptions the push service said are gone, now removed. */
  removed: number
  /** Reminders that will be tried again on the next run (no channel delivered them). */
  retry: number
  /** Held back by quiet hours (or before the sending hour). */
  held: number
  /** Delivered by a channel after an earlier one failed or had no address. */
  fellBack: number
  /** Failed on every channel MAX_ATTEMPTS runs in a row: not tried again (the failures stay listed). */
  gaveUp: number
  /** A provider gave no answer in time: it may have arrived, so it is neither retried nor sent another way. */
  unconfirmed: number
}

/** Days a delivery failure stays listed for the administrator. */
export const FAILURES_KEPT_DAYS = 90

/** Runs in a row a reminder is tried on its channels before the job stops trying it. */
export const MAX_ATTEMPTS = 6

/**
 * One run of the reminder job, for the moment `now` (injected: tests set the clock). It runs
 * every few minutes; each reminder is claimed in `reminders_sent` before it is sent, so several
 * server processes, or runs that overlap, send it once. It goes by the member's channels in their
 * order (Web Push, 企业微信, SMS: only those the organ configured and the member allows), falling
 * back to the next when one fails or the member has no address on it. A reminder no channel
 * delivered is released to be tried again (at most MAX_ATTEMPTS times), unless a provider gave no
 * answer in time (it may have arrived: not sent again); each failure is kept in
 * `reminder_failures` for the administrator. Nothing personal is logged: counts only.
 */
export async function runReminderJob(
  db: Kysely<Database>,
  push: PushService,
  now: Date,
  log?: FastifyBaseLogger,
  channels: OrganChannels = { extra: [], wecomLookup: () => Promise.resolve(null) },
): Promise<JobReport> {
  const report: JobReport = { due: 0, sent: 0, removed: 0, retry: 0, held: 0, fellBack: 0, gaveUp: 0, unconfirmed: 0 }
  // Failures are shown for a while, then forgotten.
  await db
    .deleteFrom('reminder_failures')
    .where('last_at', '<', new Date(now.getTime() - FAILURES_KEPT_DAYS * 86_400_000).toISOString())
    .execute()
  const subs = await db.selectFrom('push_subscriptions').select(['endpoint', 'user_id', 'p256dh', 'auth']).execute()
  if (subs.length === 0 && channels.extra.length === 0) return report
  const subsByUser = new Map<string, typeof subs>()
  for (const s of subs) subsByUser.set(s.user_id, [...(subsByUser.get(s.user_id) ?? []), s])
  const adapters: ChannelAdapter[] = [
    pushChannel(
      db,
      push,
      (id) => subsByUser.get(id) ?? [],
      () => report.removed++,
    ),
    ...channels.extra,
  ]
  const available = adapters.map((a) => a.id)
  const adapterOf = (c: Channel) => adapters.find((a) => a.id === c) as ChannelAdapter

  const users = await db
    .selectFrom('users')
    .select([
      'id',
      'org_id',
      'name',
      'role',
      'branch_id',
      'joined_party_on',
      'phone',
      'wecom_userid',
      'status',
      'full_member_on',
      'removed_at',
    ])
    .where('removed_at', 'is', null)
    .execute()
  const people: ReminderPerson[] = users.map((u) => ({
    id: u.id,
    name: u.name,
    role: u.role,
    branchId: u.branch_id,
    joinedPartyOn: u.joined_party_on,
    // One who has left is nobody's probationer any more (and is not read here at all).
    status: u.removed_at ? 'full' : u.status,
    fullMemberOn: u.full_member_on,
    orgId: u.org_id,
  }))
  const userById = new Map(users.map((u) => [u.id, u]))
  const prefs = new Map<string, ReminderPrefs>()
  for (const r of await db.selectFrom('reminder_settings').selectAll().execute()) prefs.set(r.id, prefsOf(r))

  const today = chinaToday(now)
  const studied = new Set<string>()
  if (Number(today.slice(8)) >= STUDY_GAP_FROM_DAY) {
    const rows = await db
      .selectFrom('study_records')
      .select('owner_id')
      .distinct()
      .where('date', '>=', `${today.slice(0, 7)}-01`)
      .where('date', '<=', today)
      .where('deleted', '=', 0)
      .execute()
    for (const r of rows) studied.add(r.owner_id)
  }

  // Meetings starting within the next two days: those starting tomorrow (China date) are announced.
  const soon = await db
    .selectFrom('meetings')
    .select(['id', 'topic', 'starts_at', 'place', 'expected_ids'])
    .where('deleted', '=', 0)
    .where('starts_at', '>=', now.toISOString())
    .where('starts_at', '<', new Date(now.getTime() + 2 * 86_400_000).toISOString())
    .execute()
  const meetings = soon.map((m) => ({
    id: m.id,
    topic: m.topic,
    startsAt: m.starts_at,
    place: m.place,
    expectedIds: JSON.parse(m.expected_ids) as string[],
  }))

  const prefsFor = (id: string) => prefs.get(id) ?? DEFAULT_PREFS
  const due = [...dueReminders({ now, people, prefs, studiedThisMonth: studied, meetings }), ...probationReminders(people, today, prefsFor)]
  for (const reminder of due) {
    const user = userById.get(reminder.userId)
    if (!user) continue
    const mine = prefs.get(reminder.userId) ?? DEFAULT_PREFS
    const to: Recipient = { userId: user.id, name: user.name, phone: user.phone, wecomUserId: user.wecom_userid }
    // Only the channels the member allows, in their order, where they have an address.
    const order = channelOrder(mine.channels, available).filter((c) => adapterOf(c).reachable(to, reminder.kind))
    if (order.length === 0) continue
    report.due++
    if (!maySendNow(now, mine)) {
      report.held++
      continue
    }
    const key = (eb: ExpressionBuilder<Database, 'reminders_sent' | 'reminder_failures'>) =>
      eb.and([eb('user_id', '=', reminder.userId), eb('kind', '=', reminder.kind), eb('key', '=', reminder.key)])
    const tried = await db
      .selectFrom('reminder_failures')
      .select((eb) => eb.fn.max('attempts').as('n'))
      .where(key)
      .executeTakeFirst()
    if (Number(tried?.n ?? 0) >= MAX_ATTEMPTS) {
      report.gaveUp++
      continue
    }
    const claimed = await db
      .insertInto('reminders_sent')
      .values({ user_id: reminder.userId, kind: reminder.kind, key: reminder.key, sent_at: nowIso(), delivered: 0 })
      .onConflict((oc) => oc.columns(['user_id', 'kind', 'key']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (!claimed) continue
    const { deliveredBy, unsure, attempts } = await deliver(order, (c) => adapterOf(c).send(to, reminder))
    for (const a of attempts) if (a.outcome.status === 'failed') await recordFailure(db, user.org_id, reminder, a.channel, a.outcome.reason)
    if (deliveredBy) {
      report.sent++
      if (deliveredBy !== order[0]) report.fellBack++
      await db.updateTable('reminders_sent').set({ delivered: 1, channel: deliveredBy }).where(key).execute()
    } else if (unsure) {
      // The claim stays (not delivered as far as we know, but never sent again).
      report.unconfirmed++
      await db.updateTable('reminders_sent').set({ channel: unsure }).where(key).execute()
    } else {
      report.retry++
      await db.deleteFrom('reminders_sent').where(key).execute()
    }
  }
  if (report.due > 0) log?.info({ ...report }, 'reminder job')
  return report
}

/** One row per reminder and channel: the latest reason, and how many runs it failed. */
async function recordFailure(db: Kysely<Database>, orgId: string, r: Reminder, channel: Channel, reason: string): Promise<void> {
  const at = nowIso()
  await db
    .insertInto('reminder_failures')
    .values({ user_id: r.userId, org_id: orgId, kind: r.kind, key: r.key, channel, reason, attempts: 1, first_at: at, last_at: at })
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind', 'key', 'channel']).doUpdateSet((eb) => ({
        reason,
        last_at: at,
        attempts: eb('reminder_failures.attempts', '+', 1),
      })),
    )
    .execute()
}

/** Run the job now and every `everyMs`; stop() waits for a run in progress. */
export function scheduleReminders(
  db: Kysely<Database>,
  push: PushService,
  log: FastifyBaseLogger,
  channels?: OrganChannels,
  everyMs = 5 * 60_000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    running = runReminderJob(db, push, new Date(), log, channels).catch((err: unknown) => log.error({ err }, 'reminder job failed'))
  }
  const first = setTimeout(tick, 10_000)
  const timer = setInterval(tick, everyMs)
  first.unref()
  timer.unref()
  return {
    async stop() {
      clearTimeout(first)
      clearInterval(timer)
      await running
    },
  }
}
