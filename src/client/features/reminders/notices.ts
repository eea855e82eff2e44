import { chinaToday } from '../../../core/domain/china-time.ts'
import { inAppNotices, type Notice, type ReminderPerson } from '../../../core/domain/reminders.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { readReminderPrefs } from './reminders.queries.ts'
import { managedPeople } from '../people/people.repo.ts'

const SHOWN = 'notices-shown'
const LAST_OPENED = 'last-opened-on'
const KEEP = 100

const asPerson = (u: {
  id: string
  name: string
  role: ReminderPerson['role']
  branchId: string | null
  joinedPartyOn?: string | null
}): ReminderPerson => ({
  id: u.id,
  name: u.name,
  role: u.role,
  branchId: u.branchId,
  joinedPartyOn: u.joinedPartyOn ?? null,
})

/**
 * On opening the app: the reminders that fell due since it was last opened on this phone and
 * have not been shown here before. Marks them shown and records today as the last opening, so
 * each is shown once.
 */
export async function takeNotices(db: AccountDb, user: SessionUser, now = new Date()): Promise<Notice[]> {
  const today = chinaToday(now)
  const meRow = await db.users.get(user.id)
  const me = asPerson(meRow ?? { ...user, joinedPartyOn: null })
  // The same people as the 政治生日 list on 首页: a secretary's branch (themselves included), an administrator's whole organisation.
  const managed = await managedPeople(db, user)
  const branch = managed.filter((u) => !u.removed).map(asPerson)
  const oldest = await db.outbox.orderBy('seq').first()
  const monthStart = `${today.slice(0, 7)}-01`
  const studied =
    (await db.study_records
      .where('[ownerId+date]')
      .between([user.id, monthStart], [user.id, today], true, true)
      .filter((r) => !r.deleted)
      .count()) > 0
  const lastOpenedOn = ((await db.meta.get(LAST_OPENED))?.value as string | undefined) ?? null
  const shown = new Set(((await db.meta.get(SHOWN))?.value as string[] | undefined) ?? [])

  const meetings = (
    await db.meetings
      .where('startsAt')
      .between(now.toISOString(), new Date(now.getTime() + 2 * 86_400_000).toISOString())
      .toArray()
  ).filter((m) => !m.deleted)
  const all = inAppNotices({
    now,
    me,
    branch,
    prefs: await readReminderPrefs(db, user.id),
    lastOpenedOn,
    oldestUnsyncedAt: oldest?.clientTime ?? null,
    studiedThisMonth: studied,
    meetings,
  })
  const fresh = [...all, ...(await answeredFeedback(db, user.id, now))].filter((n) => !shown.has(n.key))
  await db.meta.bulkPut([
    { key: SHOWN, value: [...shown, ...fresh.map((n) => n.key)].slice(-KEEP) },
    { key: LAST_OPENED, value: today },
  ])
  return fresh
}

/** Answers to the member's 投诉建议 that arrived in the last 30 days (each shown once, like the reminders). */
async function answeredFeedback(db: AccountDb, userId: string, now: Date): Promise<Notice[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString()
  const mine = await db.feedback.where('authorId').equals(userId).toArray()
  return mine
    .filter((f) => !f.deleted && f.answeredAt !== null && f.answeredAt >= since)
    .map((f) => ({
      key: `feedback:${f.id}:${f.answeredAt ?? ''}`,
      kind: 'feedbackAnswered' as const,
      title: f.category === 'complaint' ? '您的投诉已收到答复' : '您的建议已收到答复',
      body: f.answer.length > 60 ? `${f.answer.slice(0, 60)}…` : f.answer,
      url: '/me/feedback',
    }))
}
