import type { LoginRequest, SessionUser, SetupRequest, SetupStatus } from '../../core/schemas/auth.ts'
import type { PullResponse, PushRequest, PushResponse } from '../../core/sync/protocol.ts'
import type { HttpClient } from './http.ts'
import type { PushSubscriptionInput } from '../../core/schemas/push.ts'
import type { ActivateRequest } from '../../core/schemas/people.ts'
import type { Rule } from '../../core/domain/meetings.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../core/sync/schema-version.ts'

export interface DeviceSession {
  id: string
  device: string
  createdAt: string
  lastSeenAt: string
  current: boolean
}

/**
 * Typed API calls, one per endpoint (docs/sync.md). Push and pull tell the server which tables and
 * fields this app understands (`schemaVersion`: this app's, or an older one in tests).
 */
export function endpoints(http: HttpClient, opts: { schemaVersion?: number } = {}) {
  const schema = { [SCHEMA_HEADER]: String(opts.schemaVersion ?? SCHEMA_VERSION) }
  return {
    setupStatus: () => http.get<SetupStatus>('/api/setup'),
    setup: (body: SetupRequest) => http.post<{ user: SessionUser }>('/api/setup', body),
    seedDemo: () => http.post<{ accounts: Record<string, string>; password: string }>('/api/setup/demo'),
    login: (body: LoginRequest) => http.post<{ user: SessionUser }>('/api/auth/login', body),
    logout: () => http.post<{ ok: boolean }>('/api/auth/logout'),
    me: () => http.get<{ user: SessionUser }>('/api/auth/me'),
    /** The server's clock (Unix ms): the organiser's phone corrects its own with it before showing a sign-in code. */
    time: () => http.get<{ now: number }>('/api/time'),
    calendarStatus: () => http.get<{ active: boolean; createdAt: string | null }>('/api/me/calendar'),
    newCalendarLink: () => http.post<{ path: string }>('/api/me/calendar'),
    revokeCalendarLink: () => http.post<{ active: boolean }>('/api/me/calendar/revoke'),
    pushKey: () => http.get<{ publicKey: string }>('/api/push/key'),
    pushStatus: () => http.get<{ devices: number; lastSentAt: string | null }>('/api/me/push'),
    subscribePush: (body: PushSubscriptionInput) => http.post<{ subscribed: boolean }>('/api/me/push', body),
    unsubscribePush: (endpoint: string) => http.post<{ subscribed: boolean }>('/api/me/push/remove', { endpoint }),
    testPush: () => http.post<{ devices: number; sent: number }>('/api/me/push/test'),
    activate: (body: ActivateRequest) => http.post<{ user: SessionUser }>('/api/auth/activate', body),
    rules: () => http.get<{ rules: Rule[]; custom: boolean; startedOn?: string }>('/api/org/rules'),
    photoStatus: (id: string) => http.get<{ received: number; complete: boolean }>(`/api/photos/${encodeURIComponent(id)}/status`),
    uploadPhotoChunk: (id: string, ownerId: string, offset: number, total: number, chunk: Blob, owner: 'visits' | 'meetings' = 'visits') =>
      http.put<{ received: number; complete: boolean }>(
        `/api/photos/${encodeURIComponent(id)}?${owner === 'meetings' ? 'meeting' : 'visit'}=${encodeURIComponent(ownerId)}&offset=${offset}&total=${total}`,
        chunk,
      ),
    push: (body: PushRequest) => http.post<PushResponse>('/api/sync/push', body, schema),
    pull: (cursor: string, limit?: number) =>
      http.get<PullResponse>(`/api/sync/pull?cursor=${encodeURIComponent(cursor)}${limit ? `&limit=${limit}` : ''}`, schema),
  }
}

export type Api = ReturnType<typeof endpoints>
