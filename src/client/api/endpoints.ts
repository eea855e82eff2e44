import type { HttpClient } from './http.ts'
import type { BodyOf, ResponseOf } from '../../core/contracts/contract.ts'
import type * as auth from '../../core/contracts/auth.ts'
import type * as calendar from '../../core/contracts/calendar.ts'
import type * as push from '../../core/contracts/push.ts'
import type * as reminders from '../../core/contracts/reminders.ts'
import type * as meetings from '../../core/contracts/meetings.ts'
import type * as photos from '../../core/contracts/photos.ts'
import type * as sync from '../../core/contracts/sync.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../core/sync/schema-header.ts'

export type { DeviceSession } from '../../core/contracts/account.ts'

/** The upload's query parameter naming what the photo belongs to. */
const OWNER_PARAM = { visits: 'visit', meetings: 'meeting', outside_trainings: 'training' } as const

/**
 * Typed API calls, one per endpoint, typed from the routes' contracts (core/contracts; the sync
 * calls: docs/sync.md). Push and pull tell the server which tables and fields this app
 * understands (`schemaVersion`: this app's, or an older one in tests).
 */
export function endpoints(http: HttpClient, opts: { schemaVersion?: number } = {}) {
  const schema = { [SCHEMA_HEADER]: String(opts.schemaVersion ?? SCHEMA_VERSION) }
  return {
    setupStatus: () => http.get<ResponseOf<typeof auth.setupStatus>>('/api/setup'),
    setup: (body: BodyOf<typeof auth.setup>) => http.post<ResponseOf<typeof auth.setup>>('/api/setup', body),
    seedDemo: () => http.post<ResponseOf<typeof auth.seedDemo>>('/api/setup/demo'),
    login: (body: BodyOf<typeof auth.login>) => http.post<ResponseOf<typeof auth.login>>('/api/auth/login', body),
    logout: () => http.post<ResponseOf<typeof auth.logout>>('/api/auth/logout'),
    me: () => http.get<ResponseOf<typeof auth.me>>('/api/auth/me'),
    /** The server's clock (Unix ms): the organiser's phone corrects its own with it before showing a sign-in code. */
    time: () => http.get<ResponseOf<typeof auth.time>>('/api/time'),
    calendarStatus: () => http.get<ResponseOf<typeof calendar.calendarStatus>>('/api/me/calendar'),
    newCalendarLink: () => http.post<ResponseOf<typeof calendar.newCalendarLink>>('/api/me/calendar'),
    revokeCalendarLink: () => http.post<ResponseOf<typeof calendar.revokeCalendarLink>>('/api/me/calendar/revoke'),
    pushKey: () => http.get<ResponseOf<typeof push.pushKey>>('/api/push/key'),
    pushStatus: () => http.get<ResponseOf<typeof push.pushStatus>>('/api/me/push'),
    subscribePush: (body: BodyOf<typeof push.subscribePush>) => http.post<ResponseOf<typeof push.subscribePush>>('/api/me/push', body),
    unsubscribePush: (endpoint: string) => http.post<ResponseOf<typeof push.unsubscribePush>>('/api/me/push/remove', { endpoint }),
    testPush: () => http.post<ResponseOf<typeof push.testPush>>('/api/me/push/test'),
    /** The reminder channels this organ offers (推送 always; 企业微信 / 政务微信 and 短信 when configured). */
    reminderChannels: () => http.get<ResponseOf<typeof reminders.reminderChannels>>('/api/reminders/channels'),
    activate: (body: BodyOf<typeof auth.activate>) => http.post<ResponseOf<typeof auth.activate>>('/api/auth/activate', body),
    rules: () => http.get<ResponseOf<typeof meetings.rules>>('/api/org/rules'),
    photoStatus: (id: string) => http.get<ResponseOf<typeof photos.photoStatus>>(`/api/photos/${encodeURIComponent(id)}/status`),
    uploadPhotoChunk: (
      id: string,
      ownerId: string,
      offset: number,
      total: number,
      chunk: Blob,
      owner: 'visits' | 'meetings' | 'outside_trainings' = 'visits',
    ) =>
      http.put<ResponseOf<typeof photos.uploadPhotoChunk>>(
        `/api/photos/${encodeURIComponent(id)}?${OWNER_PARAM[owner]}=${encodeURIComponent(ownerId)}&offset=${offset}&total=${total}`,
        chunk,
      ),
    push: (body: BodyOf<typeof sync.push>) => http.post<ResponseOf<typeof sync.push>>('/api/sync/push', body, schema),
    pull: (cursor: string, limit?: number) =>
      http.get<ResponseOf<typeof sync.pull>>(
        `/api/sync/pull?cursor=${encodeURIComponent(cursor)}${limit ? `&limit=${limit}` : ''}`,
        schema,
      ),
  }
}

export type Api = ReturnType<typeof endpoints>
