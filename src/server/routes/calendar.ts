import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import * as contracts from '../../core/contracts/calendar.ts'
import { expectedMeetings, feedOf, feedOwner, removeFeed, replaceFeed } from '../repositories/calendar-feeds.ts'
import { publicRoute, route } from './route.ts'
import { personalCalendar } from '../services/calendar/ics.ts'

const hash = (token: string) => createHash('sha256').update(token).digest('base64url')

/**
 * A secret, revocable calendar-feed URL per person. Subscribed once in the phone's own calendar,
 * it reminds the member of their political birthday even if the app is never opened.
 * The token is shown once and stored hashed; making a new one ends the old one.
 */
export function calendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.calendarStatus, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      const row = await feedOf(ctx.read, viewer.id)
      return { active: row !== undefined, createdAt: row?.created_at ?? null }
    },
  })

  route(app, contracts.newCalendarLink, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      const token = randomBytes(32).toString('base64url')
      await replaceFeed(ctx.db, viewer.id, hash(token))
      return { path: `/api/calendar/${token}.ics` }
    },
  })

  route(app, contracts.revokeCalendarLink, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      await removeFeed(ctx.db, viewer.id)
      return { active: false }
    },
  })

  publicRoute(app, contracts.calendarFeed, {
    handler: async ({ request, reply, params: { file } }) => {
      const person = await feedOwner(ctx.read, hash(file.slice(0, -4)))
      if (!person) throw new HttpError(404, 'not_found', '订阅链接已失效，请在“我的”中重新生成')
      // The member's meetings from 30 days ago on: new ones appear at the calendar's next refresh.
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString()
      const meetings = await expectedMeetings(ctx.read, person.id, since)
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=3600')
        .send(personalCalendar({ id: person.id, name: person.name, joinedPartyOn: person.joined_party_on }, request.hostname, meetings))
    },
  })
}
