import type { HttpClient } from './http.ts'
import type { BodyOf, ResponseOf } from '../../core/contracts/contract.ts'
import type * as account from '../../core/contracts/account.ts'
import type * as org from '../../core/contracts/org.ts'
import type * as people from '../../core/contracts/people.ts'
import type * as meetings from '../../core/contracts/meetings.ts'
import type * as reminders from '../../core/contracts/reminders.ts'
import type * as yearReport from '../../core/contracts/year-report.ts'
import type { Role } from '../../core/domain/roles.ts'

const at = (path: string, id: string) => path.replace(':id', encodeURIComponent(id))

/** Administration and account calls: loaded with the pages that use them, not with the app shell. Typed from the routes' contracts. */
export function adminEndpoints(http: HttpClient) {
  return {
    sessions: () => http.get<ResponseOf<typeof account.sessions>>('/api/me/sessions'),
    revokeSession: (id: string) => http.post<ResponseOf<typeof account.revokeSession>>(at('/api/me/sessions/:id/revoke', id)),
    revokeOtherSessions: () => http.post<ResponseOf<typeof account.revokeOtherSessions>>('/api/me/sessions/revoke-others'),
    orgTree: () => http.get<ResponseOf<typeof org.orgTree>>('/api/admin/org'),
    createBranch: (name: string) => http.post<ResponseOf<typeof org.createBranch>>('/api/admin/branches', { name }),
    updateBranch: (id: string, patch: BodyOf<typeof org.updateBranch>) =>
      http.post<ResponseOf<typeof org.updateBranch>>(at('/api/admin/branches/:id', id), patch),
    createGroup: (branchId: string, name: string) => http.post<ResponseOf<typeof org.createGroup>>('/api/admin/groups', { branchId, name }),
    updateGroup: (id: string, patch: BodyOf<typeof org.updateGroup>) =>
      http.post<ResponseOf<typeof org.updateGroup>>(at('/api/admin/groups/:id', id), patch),
    people: () => http.get<ResponseOf<typeof people.people>>('/api/admin/people'),
    createPerson: (body: BodyOf<typeof people.createPerson>) =>
      http.post<ResponseOf<typeof people.createPerson>>('/api/admin/people', body),
    updatePerson: (id: string, patch: BodyOf<typeof people.updatePerson>) =>
      http.post<ResponseOf<typeof people.updatePerson>>(at('/api/admin/people/:id', id), patch),
    setRole: (id: string, role: Role) => http.post<ResponseOf<typeof people.setRole>>(at('/api/admin/people/:id/role', id), { role }),
    movePerson: (id: string, body: BodyOf<typeof people.movePerson>) =>
      http.post<ResponseOf<typeof people.movePerson>>(at('/api/admin/people/:id/move', id), body),
    removePerson: (id: string, body: BodyOf<typeof people.removePerson>) =>
      http.post<ResponseOf<typeof people.removePerson>>(at('/api/admin/people/:id/remove', id), body),
    issueActivation: (id: string) => http.post<ResponseOf<typeof people.issueActivation>>(at('/api/admin/people/:id/activation', id)),
    issueBatch: (branchId?: string) =>
      http.post<ResponseOf<typeof people.issueBatch>>('/api/admin/activation/batch', branchId ? { branchId } : {}),
    onboarding: () => http.get<ResponseOf<typeof org.onboarding>>('/api/admin/onboarding'),
    signOutPerson: (id: string) => http.post<ResponseOf<typeof people.signOutPerson>>(at('/api/admin/people/:id/sign-out', id)),
    personEvents: (id: string) => http.get<ResponseOf<typeof people.personEvents>>(at('/api/admin/people/:id/events', id)),
    previewImport: (file: BodyOf<typeof org.previewImport>) =>
      http.post<ResponseOf<typeof org.previewImport>>('/api/admin/import/preview', file),
    applyImport: (file: BodyOf<typeof org.applyImport>) => http.post<ResponseOf<typeof org.applyImport>>('/api/admin/import/apply', file),
    auditLog: (before?: string) =>
      http.get<ResponseOf<typeof org.auditLog>>(`/api/admin/audit${before ? `?before=${encodeURIComponent(before)}` : ''}`),
    personWecom: (id: string) => http.get<ResponseOf<typeof reminders.personWecom>>(at('/api/admin/people/:id/wecom', id)),
    setPersonWecom: (id: string, body: BodyOf<typeof reminders.setPersonWecom>) =>
      http.post<ResponseOf<typeof reminders.setPersonWecom>>(at('/api/admin/people/:id/wecom', id), body),
    reminderFailures: () => http.get<ResponseOf<typeof reminders.reminderFailures>>('/api/admin/reminders/failures'),
    /** 述职评议 pack of a branch, or `org` for the organ's roll-up. */
    yearReport: (scope: string, year: number) =>
      http.get<ResponseOf<typeof yearReport.yearReport>>(`/api/year-report/${encodeURIComponent(scope)}/${year}`),
    setRules: (rules: BodyOf<typeof meetings.setRules>['rules']) =>
      http.post<ResponseOf<typeof meetings.setRules>>('/api/admin/rules', { rules }),
  }
}
