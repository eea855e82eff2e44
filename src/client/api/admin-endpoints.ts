import type { HttpClient } from './http.ts'
import type { DeviceSession } from './endpoints.ts'
import type {
  AuditEntry,
  ImportPreview,
  IssuedCode,
  MembershipEvent,
  Onboarding,
  OrgTree,
  Person,
  PersonInput,
  PersonPatch,
} from '../../core/schemas/people.ts'
import type { Role } from '../../core/domain/roles.ts'
import type { Rule } from '../../core/domain/meetings.ts'

type RosterFile = { fileName: string; content: string }

/** Administration and account calls: loaded with the pages that use them, not with the app shell. */
export function adminEndpoints(http: HttpClient) {
  return {
    sessions: () => http.get<{ sessions: DeviceSession[] }>('/api/me/sessions'),
    revokeSession: (id: string) => http.post<{ signedOut: number }>(`/api/me/sessions/${encodeURIComponent(id)}/revoke`),
    revokeOtherSessions: () => http.post<{ signedOut: number }>('/api/me/sessions/revoke-others'),
    orgTree: () => http.get<OrgTree>('/api/admin/org'),
    createBranch: (name: string) => http.post<{ id: string }>('/api/admin/branches', { name }),
    updateBranch: (id: string, patch: { name?: string; archived?: boolean }) =>
      http.post<{ ok: boolean }>(`/api/admin/branches/${encodeURIComponent(id)}`, patch),
    createGroup: (branchId: string, name: string) => http.post<{ id: string }>('/api/admin/groups', { branchId, name }),
    updateGroup: (id: string, patch: { name?: string; archived?: boolean }) =>
      http.post<{ ok: boolean }>(`/api/admin/groups/${encodeURIComponent(id)}`, patch),
    people: () => http.get<{ people: Person[] }>('/api/admin/people'),
    createPerson: (body: Partial<PersonInput> & Pick<PersonInput, 'name' | 'phone' | 'branchId'>) =>
      http.post<{ person: Person; activation: IssuedCode }>('/api/admin/people', body),
    updatePerson: (id: string, patch: PersonPatch) => http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}`, patch),
    setRole: (id: string, role: Role) => http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}/role`, { role }),
    movePerson: (id: string, body: { branchId: string; date: string; kind: 'move' | 'transfer_in'; note: string }) =>
      http.post<{ person: Person }>(`/api/admin/people/${encodeURIComponent(id)}/move`, body),
    removePerson: (id: string, body: { reason: 'transfer_out' | 'left' | 'deceased'; date: string; note: string }) =>
      http.post<{ removed: boolean }>(`/api/admin/people/${encodeURIComponent(id)}/remove`, body),
    issueActivation: (id: string) => http.post<{ activation: IssuedCode }>(`/api/admin/people/${encodeURIComponent(id)}/activation`),
    issueBatch: (branchId?: string) =>
      http.post<{ activations: IssuedCode[] }>('/api/admin/activation/batch', branchId ? { branchId } : {}),
    onboarding: () => http.get<Onboarding>('/api/admin/onboarding'),
    signOutPerson: (id: string) => http.post<{ signedOut: number }>(`/api/admin/people/${encodeURIComponent(id)}/sign-out`),
    personEvents: (id: string) => http.get<{ events: MembershipEvent[] }>(`/api/admin/people/${encodeURIComponent(id)}/events`),
    previewImport: (file: RosterFile) => http.post<ImportPreview>('/api/admin/import/preview', file),
    applyImport: (file: RosterFile & { createMissing?: boolean }) =>
      http.post<{ created: number; branchesCreated: number; groupsCreated: number; activations: IssuedCode[] }>(
        '/api/admin/import/apply',
        file,
      ),
    auditLog: (before?: string) =>
      http.get<{ entries: AuditEntry[] }>(`/api/admin/audit${before ? `?before=${encodeURIComponent(before)}` : ''}`),
    setRules: (rules: Rule[] | null) => http.post<{ rules: Rule[]; custom: boolean }>('/api/admin/rules', { rules }),
  }
}
