import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { requireViewer } from '../plugins/auth.ts'
import { personalCalendar } from '../calendar/ics.ts'

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
      await trx.insertInto('calendar_feeds').values({ user_id: viewer.id, token_hash: hash(token), created_at: nowIso() }).execute()
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
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .send(personalCalendar({ id: person.id, name: person.name, joinedPartyOn: person.joined_party_on }, request.hostname))
  })
}
