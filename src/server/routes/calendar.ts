import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { requireViewer } from '../plugins/auth.ts'
import { personalCalendar } from '../services/calendar/ics.ts'

const hash = (token: string) => createHash('sha256').update(token).digest('base64url')
const FeedFile = v.object({ file: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}\.ics$/, '订阅链接无效')) })

/**
 * A secret, revocable calendar-feed URL per person. Subscribed once in the phone's own calendar,
 * it reminds the member of their political birthday even if the app is never opened.
 * The token is shown once and stored hashed; making a new one ends the old one.
 */
export function calendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/me/calendar', async (request) => {
    const viewer = requireViewer(request)
    const row = await ctx.read.selectFrom('calendar_feeds').select('created_at').where('user_id', '=', viewer.id).executeTakeFirst()
    return { active: row !== undefined, createdAt: row?.created_at ?? null }
  })

  app.post('/api/me/calendar', async (request) => {
    const viewer = requireViewer(request)
    const token = randomBytes(32).toString('base64url')
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('calendar_feeds').where('user_id', '=', viewer.id).execute()
      await trx
        .insertInto('calendar_feeds')
        .values({ user_id: viewer.id, token_hash: hash(token), created_at: nowIso() })
        .execute()
    })
    return { path: `/api/calendar/${token}.ics` }
  })

  app.post('/api/me/calendar/revoke', async (request) => {
    const viewer = requireViewer(request)
    await ctx.db.deleteFrom('calendar_feeds').where('user_id', '=', viewer.id).execute()
    return { active: false }
  })

  app.get('/api/calendar/:file', async (request, reply) => {
    const { file } = parseInput(FeedFile, request.params)
    const person = await ctx.read
      .selectFrom('calendar_feeds')
      .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
      .select(['users.id', 'users.name', 'users.joined_party_on'])
      .where('calendar_feeds.token_hash', '=', hash(file.slice(0, -4)))
      .executeTakeFirst()
    if (!person) throw new HttpError(404, 'not_found', '订阅链接已失效，请在“我的”中重新生成')
    // The member's meetings from 30 days ago on: new ones appear at the calendar's next refresh.
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString()
    const meetings = await ctx.read
      .selectFrom('meetings')
      .select(['id', 'type', 'topic', 'starts_at', 'duration_minutes', 'place', 'agenda', 'deleted'])
      .where('expected_ids', 'like', `%"${person.id}"%`)
      .where('starts_at', '>=', since)
      .orderBy('starts_at')
      .limit(200)
      .execute()
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .send(
        personalCalendar(
          { id: person.id, name: person.name, joinedPartyOn: person.joined_party_on },
          request.hostname,
          meetings.map((m) => ({
            id: m.id,
            type: m.type,
            topic: m.topic,
            startsAt: m.starts_at,
            durationMinutes: Number(m.duration_minutes),
            place: m.place,
            agenda: m.agenda,
            deleted: m.deleted === 1,
          })),
        ),
      )
  })
}
