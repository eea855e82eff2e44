import type { LoginRequest, SessionUser, SetupRequest, SetupStatus } from '../../core/schemas/auth.ts'
import type { PullResponse, PushRequest, PushResponse } from '../../core/sync/protocol.ts'
import type { HttpClient } from './http.ts'
import type { PushSubscriptionInput } from '../../core/schemas/push.ts'
import type { ActivateRequest, AuditEntry, ImportPreview, IssuedCode, MembershipEvent, OrgTree, Person, PersonInput, PersonPatch } from '../../core/schemas/people.ts'
import type { Role } from '../../core/domain/roles.ts'
import type { Rule } from '../../core/domain/meetings.ts'

export interface DeviceSession {
  id: string
  device: string
  createdAt: string
  lastSeenAt: string
  current: boolean
}
type RosterFile = { fileName: string; content: string }

/** Typed API calls, one per endpoint (docs/sync.md). */
export function endpoints(http: HttpClient) {
  return {
    setupStatus: () => http.get<SetupStatus>('/api/setup'),
    setup: (body: SetupRequest) => http.post<{ user: SessionUser }>('/api/setup', body),
    seedDemo: () => http.post<{ accounts: Record<string, string>; password: string }>('/api/setup/demo'),
    login: (body: LoginRequest) => http.post<{ user: SessionUser }>('/api/auth/login', body),
    logout: () => http.post<{ ok: boolean }>('/api/auth/logout'),
    me: () => http.get<{ user: SessionUser }>('/api/auth/me'),
    calendarStatus: () => http.get<{ active: boolean; createdAt: string | null }>('/api/me/calendar'),
    newCalendarLink: () => http.post<{ path: string }>('/api/me/calendar'),
    revokeCalendarLink: () => http.post<{ active: boolean }>('/api/me/calendar/revoke'),
    pushKey: () => http.get<{ publicKey: string }>('/api/push/key'),
    pushStatus: () => http.get<{ devices: number; lastSentAt: string | null }>('/api/me/push'),
    subscribePush: (body: PushSubscriptionInput) => http.post<{ subscribed: boolean }>('/api/me/push', body),
    unsubscribePush: (endpoint: string) => http.post<{ subscribed: boolean }>('/api/me/push/remove', { endpoint }),
    testPush: () => http.post<{ devices: number; sent: number }>('/api/me/push/test'),
    activate: (body: ActivateRequest) => http.post<{ user: SessionUser }>('/api/auth/activate', body),
    sessions: () => http.get<{ sessions: DeviceSession[] }>('/api/me/sessions'),
    revokeSession: (id: string) => http.post<{ signedOut: number }>(`/api/me/sessions/${encodeURIComponent(id)}/revoke`),
    orgTree: () => http.get<OrgTree>('/api/admin/org'),
    createBranch: (name: string) => http.post<{ id: string }>('/api/admin/branches', { name }),
    updateBranch: (id: string, patch: { name?: string; archived?: boolean }) => http.post<{ ok: boolean }>(`/api/admin/branches/${encodeURIComponent(id)}`, patch),
    createGroup: (branchId: string, name: string) => http.post<{ id: string }>('/api/admin/groups', { branchId, name }),
    updateGroup: (id: string, patch: { name?: string; archived?: boolean }) => http.post<{ ok: boolean }>(`/api/admin/groups/${encodeURIComponent(id)}`, patch),
    people: () => http.get<{ people: Person[] }>('/api/admin/people'),
    createPerson: (body: Partial<PersonInput> & Pick<PersonInput, 'name' | 'phone' | 'branchId'>) => http.post<{ person: Person; activation: IssuedCode }>('/api/admin/people', body),
    updatePerson: (id: string, patch: PersonPatch) => http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}`, patch),
    setRole: (id: string, role: Role) => http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}/role`, { role }),
    movePerson: (id: string, body: { branchId: string; date: string; kind: 'move' | 'transfer_in'; note: string }) =>
      http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}/move`, body),
    removePerson: (id: string, body: { reason: 'transfer_out' | 'left' | 'deceased'; date: string; note: string }) =>
      http.post<{ removed: boolean }>(`/api/admin/people/${encodeURIComponent(id)}/remove`, body),
    issueActivation: (id: string) => http.post<{ activation: IssuedCode }>(`/api/admin/people/${encodeURIComponent(id)}/activation`),
    signOutPerson: (id: string) => http.post<{ signedOut: number }>(`/api/admin/people/${encodeURIComponent(id)}/sign-out`),
    personEvents: (id: string) => http.get<{ events: MembershipEvent[] }>(`/api/admin/people/${encodeURIComponent(id)}/events`),
    previewImport: (file: RosterFile) => http.post<ImportPreview>('/api/admin/import/preview', file),
    applyImport: (file: RosterFile) => http.post<{ created: number; activations: IssuedCode[] }>('/api/admin/import/apply', file),
    auditLog: (before?: string) => http.get<{ entries: AuditEntry[] }>(`/api/admin/audit${before ? `?before=${encodeURIComponent(before)}` : ''}`),
    rules: () => http.get<{ rules: Rule[]; custom: boolean }>('/api/org/rules'),
    setRules: (rules: Rule[] | null) => http.post<{ rules: Rule[]; custom: boolean }>('/api/admin/rules', { rules }),
    photoStatus: (id: string) => http.get<{ received: number; complete: boolean }>(`/api/photos/${encodeURIComponent(id)}/status`),
    uploadPhotoChunk: (id: string, ownerId: string, offset: number, total: number, chunk: Blob, owner: 'visits' | 'meetings' = 'visits') =>
      http.put<{ received: number; complete: boolean }>(
        `/api/photos/${encodeURIComponent(id)}?${owner === 'meetings' ? 'meeting' : 'visit'}=${encodeURIComponent(ownerId)}&offset=${offset}&total=${total}`,
        chunk,
      ),
    push: (body: PushRequest) => http.post<PushResponse>('/api/sync/push', body),
    pull: (cursor: string, limit?: number) =>
      http.get<PullResponse>(`/api/sync/pull?cursor=${encodeURIComponent(cursor)}${limit ? `&limit=${limit}` : ''}`),
  }
}

export type Api = ReturnType<typeof endpoints>
