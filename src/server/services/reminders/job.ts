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
import { prefsOf } from '../../sync/tables/reminder-settings.ts'
import { nowIso } from '../../lib/time.ts'

export interface JobReport {
  due: number
  sent: number
  /** Subscriptions the push service said are gone, now removed. */
  removed: number
  /** Reminders that will be tried again on the next run (no device accepted them). */
  retry: number
  /** Held back by quiet hours (or before the sending hour). */
  held: number
}

/**
 * One run of the reminder job, for the moment `now` (injected: tests set the clock). It runs
 * every few minutes; each reminder is claimed in `reminders_sent` before it is sent, so several
 * server processes, or runs that overlap, send it once. A reminder no device accepted is
 * released to be tried again; a subscription the push service reports gone is deleted.
 */
export async function runReminderJob(db: Kysely<Database>, push: PushService, now: Date, log?: FastifyBaseLogger): Promise<JobReport> {
  const report: JobReport = { due: 0, sent: 0, removed: 0, retry: 0, held: 0 }
  const subs = await db.selectFrom('push_subscriptions').select(['endpoint', 'user_id', 'p256dh', 'auth']).execute()
  if (subs.length === 0) return report
  const subsByUser = new Map<string, typeof subs>()
  for (const s of subs) subsByUser.set(s.user_id, [...(subsByUser.get(s.user_id) ?? []), s])

  const users = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'name', 'role', 'branch_id', 'joined_party_on', 'status', 'full_member_on', 'removed_at'])
    .execute()
  const people: ReminderPerson[] = users.map((u) => ({
    id: u.id,
    name: u.name,
    role: u.role,
    branchId: u.branch_id,
    joinedPartyOn: u.joined_party_on,
    // One who has left is nobody's probationer any more.
    status: u.removed_at ? 'full' : u.status,
    fullMemberOn: u.full_member_on,
    orgId: u.org_id,
  }))
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
    const targets = subsByUser.get(reminder.userId)
    if (!targets) continue
    report.due++
    if (!maySendNow(now, prefs.get(reminder.userId) ?? DEFAULT_PREFS)) {
      report.held++
      continue
    }
    const claimed = await db
      .insertInto('reminders_sent')
      .values({ user_id: reminder.userId, kind: reminder.kind, key: reminder.key, sent_at: nowIso(), delivered: 0 })
      .onConflict((oc) => oc.columns(['user_id', 'kind', 'key']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (!claimed) continue
    let delivered = 0
    for (const sub of targets) {
      const outcome = await push.send(sub, {
        title: reminder.title,
        body: reminder.body,
        url: reminder.url,
        tag: `${reminder.kind}-${reminder.key}`,
      })
      if (outcome === 'sent') {
        delivered++
        await db.updateTable('push_subscriptions').set({ last_sent_at: nowIso() }).where('endpoint', '=', sub.endpoint).execute()
      } else if (outcome === 'gone') {
        report.removed++
        await db.deleteFrom('push_subscriptions').where('endpoint', '=', sub.endpoint).execute()
      }
    }
    const key = (eb: ExpressionBuilder<Database, 'reminders_sent'>) =>
      eb.and([eb('user_id', '=', reminder.userId), eb('kind', '=', reminder.kind), eb('key', '=', reminder.key)])
    if (delivered > 0) {
      report.sent++
      await db.updateTable('reminders_sent').set({ delivered: 1 }).where(key).execute()
    } else {
      report.retry++
      await db.deleteFrom('reminders_sent').where(key).execute()
    }
  }
  if (report.due > 0) log?.info({ ...report }, 'reminder job')
  return report
}

/** Run the job now and every `everyMs`; stop() waits for a run in progress. */
export function scheduleReminders(
  db: Kysely<Database>,
  push: PushService,
  log: FastifyBaseLogger,
  everyMs = 5 * 60_000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    running = runReminderJob(db, push, new Date(), log).catch((err: unknown) => log.error({ err }, 'reminder job failed'))
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
