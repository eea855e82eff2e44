import * as v from 'valibot'
import { contract } from './contract.ts'

/** The secret calendar-feed link (subscribed once in the phone's calendar) and the feed itself. */
export const calendarStatus = contract({
  method: 'GET',
  path: '/api/me/calendar',
  response: v.object({ active: v.boolean(), createdAt: v.nullable(v.string()) }),
})
/** A new link (the old one ends); the path is shown once. */
export const newCalendarLink = contract({ method: 'POST', path: '/api/me/calendar', response: v.object({ path: v.string() }) })
export const revokeCalendarLink = contract({
  method: 'POST',
  path: '/api/me/calendar/revoke',
  response: v.object({ active: v.literal(false) }),
})
/** The feed (text/calendar), by its secret file name. */
export const calendarFeed = contract({
  method: 'GET',
  path: '/api/calendar/:file',
  params: v.object({ file: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}\.ics$/, '订阅链接无效')) }),
})
