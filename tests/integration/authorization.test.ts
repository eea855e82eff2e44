import { request as httpRequest } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cookieFetch, device, PASSWORD, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { appraisalMeeting, moveBallot, openReview, reviewApiOf, syncOf } from './support/review-branch.ts'
import { markAttendance } from '../../src/client/features/meetings/meetings.repo.ts'
import { saveGrade, savePaper } from '../../src/client/features/review/review.repo.ts'
import { reviewGradeId, reviewPaperId } from '../../src/core/review-ids.ts'
import type { ReviewCycle } from '../../src/core/schemas/review.ts'
import { ApiError } from '../../src/client/api/http.ts'
import { hashPassword } from '../../src/server/lib/passwords.ts'
import { CROSS_ORIGIN_MESSAGE } from '../../src/server/plugins/same-origin.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createStudy } from '../../src/client/features/study/study.repo.ts'
import { writeRow } from '../../src/client/db/write.ts'
import { MUTATION_VERSION, type PullResponse, type PushResponse } from '../../src/core/sync/protocol.ts'
import { SYNCED_TABLES } from '../../src/core/sync/tables.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../src/core/sync/schema-version.ts'
import { newId } from '../../src/core/ids.ts'
import { createUser } from '../../src/server/repositories/organization.ts'
import { DEFAULT_PREFS } from '../../src/core/domain/reminders.ts'
import { PRIVACY_NOTICE_VERSION } from '../../src/core/domain/privacy-notice.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'
import { monthlyDue, monthOf } from '../../src/core/domain/dues-rules.ts'

/**
 * Who may read and write what, as a matrix over every API route and every synced table, for
 * every role, against the viewer's own record, a record of their branch and one of another branch.
 * A route or table without an entry here fails the suite.
 */
let server: TestServer
let org: Org
type Who = 'anonymous' | 'member' | 'secretary' | 'admin' | 'otherBranchMember'
const jars = new Map<Who, ReturnType<typeof cookieFetch>>()
type Target = 'ownOfMember' | 'branchPeer' | 'otherBranch'
const records: Record<'study_records' | 'oath_renewals' | 'reminder_settings' | 'outside_trainings', Record<Target, string>> = {
  study_records: { ownOfMember: '', branchPeer: '', otherBranch: '' },
  outside_trainings: { ownOfMember: '', branchPeer: '', otherBranch: '' },
  oath_renewals: { ownOfMember: '', branchPeer: '', otherBranch: '' },
  reminder_settings: { ownOfMember: '', branchPeer: '', otherBranch: '' },
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  const phones: Record<Exclude<Who, 'anonymous'>, string> = {
    member: org.memberA.phone,
    secretary: org.secretaryA.phone,
    admin: org.admin.phone,
    otherBranchMember: org.memberB.phone,
  }
  jars.set('anonymous', cookieFetch())
  for (const [who, phone] of Object.entries(phones) as [Exclude<Who, 'anonymous'>, string][]) jars.set(who, await signIn(server, phone))
  const make = async (target: Target, phone: string) => {
    const d = await device(server, phone)
    const r = await createStudy(d.db, d.user, {
      kind: 'self_study',
      title: `matrix-${target}`,
      date: '2026-11-20',
      minutes: 30,
      notes: '',
      sourceUrl: '',
    })
    const o = newId()
    await writeRow(
      d.db,
      'oath_renewals',
      {
        id: o,
        ownerId: d.user.id,
        branchId: d.user.branchId,
        orgId: d.user.orgId,
        date: '2026-11-20',
        createdAt: new Date().toISOString(),
        deleted: false,
      },
      { date: '2026-11-20', createdAt: new Date().toISOString() },
    )
    const t = newId()
    const training = {
      kind: 'party_school' as const,
      title: `matrix-${target}`,
      organiser: '县委党校',
      startOn: '2026-11-01',
      endOn: '2026-11-05',
      minutes: 1800,
      photoIds: [],
      notes: '',
      createdAt: new Date().toISOString(),
    }
    await writeRow(
      d.db,
      'outside_trainings',
      {
        id: t,
        orgId: d.user.orgId,
        branchId: d.user.branchId,
        memberId: d.user.id,
        ...training,
        confirmedBy: null,
        confirmedAt: null,
        updatedAt: new Date().toISOString(),
        deleted: false,
      },
      training,
    )
    const prefs = { ...DEFAULT_PREFS, studyGap: true }
    await writeRow(
      d.db,
      'reminder_settings',
      { id: d.user.id, orgId: d.user.orgId, ...prefs, updatedAt: new Date().toISOString() },
      { ...prefs },
    )
    await new SyncEngine(d.db, d.api).sync()
    records.study_records[target] = r.id
    records.oath_renewals[target] = o
    records.reminder_settings[target] = d.user.id
    records.outside_trainings[target] = t
  }
  await make('ownOfMember', org.memberA.phone)
  await make('branchPeer', org.memberA2.phone)
  await make('otherBranch', org.memberB.phone)
  const g = (await (await call('admin', 'POST', '/api/admin/groups', { branchId: org.branchA, name: '矩阵党小组' })).json()) as {
    id: string
  }
  groupA = g.id
  collectorA = await createUser(server.handle.db, {
    orgId: org.orgId,
    branchId: org.branchA,
    name: '收缴员甲',
    phone: '13700000001',
    role: 'member',
    passwordHash: await hashPassword(PASSWORD),
  })
})
afterAll(() => server.close())

async function freshPerson(branch: 'A' | 'B'): Promise<[string, 'A' | 'B']> {
  const id = await createUser(server.handle.db, {
    orgId: org.orgId,
    branchId: branch === 'A' ? org.branchA : org.branchB,
    name: '矩阵人员',
    phone: nextPhone(),
    role: 'member',
    passwordHash: 'x',
  })
  return [id, branch]
}

/** Sends one request of the matrix: normally as a non-browser client (no Origin, no Sec-Fetch-Site) from the role's cookie jar. */
type Send = (who: Who, method: string, path: string, body: string | Blob | undefined, type: string | undefined) => Promise<Response>
const fromJar: Send = (who, method, path, body, type) =>
  (jars.get(who) as ReturnType<typeof cookieFetch>)(server.url + path, {
    method,
    // As today's app: it knows every synced table (an older app is sent only the tables it knows).
    headers: { [SCHEMA_HEADER]: String(SCHEMA_VERSION), ...(type === undefined ? {} : { 'content-type': type }) },
    body,
  })
/** The cross-site request forgery test sends the same requests as a browser on some origin would. */
let send: Send = fromJar

/** A JSON body, or a Blob sent as the binary it is. */
const call = (who: Who, method: string, path: string, body?: unknown) =>
  body === undefined
    ? send(who, method, path, undefined, undefined)
    : body instanceof Blob
      ? send(who, method, path, body, 'application/octet-stream')
      : send(who, method, path, JSON.stringify(body), 'application/json')

const ROLES: Who[] = ['anonymous', 'member', 'secretary', 'admin', 'otherBranchMember']

/** Expected HTTP status per route and role (routes without per-record data). */
const ROUTE_MATRIX: Record<string, { run: (who: Who) => Promise<Response>; expect: Record<Who, number> }> = {
  'GET /api/health': {
    run: (w) => call(w, 'GET', '/api/health'),
    expect: { anonymous: 200, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/time': {
    run: (w) => call(w, 'GET', '/api/time'),
    expect: { anonymous: 200, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/setup': {
    run: (w) => call(w, 'GET', '/api/setup'),
    expect: { anonymous: 200, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/setup': {
    run: (w) =>
      call(w, 'POST', '/api/setup', { orgName: '另一个组织', adminName: '某人', phone: '13811112222', password: 'long-enough-pw' }),
    expect: { anonymous: 409, member: 409, secretary: 409, admin: 409, otherBranchMember: 409 },
  },
  'POST /api/setup/demo': {
    run: (w) => call(w, 'POST', '/api/setup/demo', {}),
    expect: { anonymous: 409, member: 409, secretary: 409, admin: 409, otherBranchMember: 409 },
  },
  'POST /api/auth/login': {
    run: (w) => call(w, 'POST', '/api/auth/login', { phone: org.memberA2.phone, password: 'wrong-password' }),
    expect: { anonymous: 401, member: 401, secretary: 401, admin: 401, otherBranchMember: 401 },
  },
  // Without a session (whoever asks): logging a role's jar out would end the rest of the suite.
  'POST /api/auth/logout': {
    run: () => call('anonymous', 'POST', '/api/auth/logout', {}),
    expect: { anonymous: 200, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/auth/me': {
    run: (w) => call(w, 'GET', '/api/auth/me'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/sync/push': {
    run: (w) => call(w, 'POST', '/api/sync/push', { clientId: newId(), mutations: [] }),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/me/calendar': {
    run: (w) => call(w, 'GET', '/api/me/calendar'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/me/calendar': {
    run: (w) => call(w, 'POST', '/api/me/calendar', {}),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/me/calendar/revoke': {
    run: (w) => call(w, 'POST', '/api/me/calendar/revoke', {}),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/push/key': {
    run: (w) => call(w, 'GET', '/api/push/key'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/me/push': {
    run: (w) => call(w, 'GET', '/api/me/push'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  // Only push-service hosts are accepted (the default list): a subscription elsewhere is refused for everyone.
  'POST /api/me/push': {
    run: (w) =>
      call(w, 'POST', '/api/me/push', { endpoint: 'https://127.0.0.1:9/x', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } }),
    expect: { anonymous: 401, member: 422, secretary: 422, admin: 422, otherBranchMember: 422 },
  },
  // Removes only the caller's own subscription with that endpoint.
  'POST /api/me/push/remove': {
    run: (w) => call(w, 'POST', '/api/me/push/remove', { endpoint: 'https://fcm.googleapis.com/x' }),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/me/push/test': {
    run: (w) => call(w, 'POST', '/api/me/push/test', {}),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  // Administration of the organisation: managers only; the organisation-wide parts for administrators.
  'GET /api/admin/people': {
    run: (w) => call(w, 'GET', '/api/admin/people'),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/people': {
    run: (w) => call(w, 'POST', '/api/admin/people', { name: '新党员', phone: nextPhone(), branchId: org.branchA }),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/admin/org': {
    run: (w) => call(w, 'GET', '/api/admin/org'),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/branches': {
    run: (w) => call(w, 'POST', '/api/admin/branches', { name: `支部${nextPhone()}` }),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/branches/:id': {
    run: (w) => call(w, 'POST', `/api/admin/branches/${org.branchA}`, { name: '第一党支部' }),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  // A group of branch A: its secretary and administrators manage it.
  'POST /api/admin/groups': {
    run: (w) => call(w, 'POST', '/api/admin/groups', { branchId: org.branchA, name: '第一党小组' }),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/groups/:id': {
    run: (w) => call(w, 'POST', `/api/admin/groups/${groupA}`, { name: '第一党小组' }),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/admin/onboarding': {
    run: (w) => call(w, 'GET', '/api/admin/onboarding'),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/activation/batch': {
    run: (w) => call(w, 'POST', '/api/admin/activation/batch', {}),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/admin/audit': {
    run: (w) => call(w, 'GET', '/api/admin/audit'),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/admin/import/preview': {
    run: (w) => call(w, 'POST', '/api/admin/import/preview', rosterFile(`姓名,手机号,所在支部\n甲,${nextPhone()},第一党支部\n`)),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  // A roster with a problem: refused as a whole (nothing written) for managers, forbidden for others.
  'POST /api/admin/import/apply': {
    run: (w) => call(w, 'POST', '/api/admin/import/apply', rosterFile('姓名,手机号,所在支部\n甲,123,第一党支部\n')),
    expect: { anonymous: 401, member: 403, secretary: 422, admin: 422, otherBranchMember: 403 },
  },
  'POST /api/auth/activate': {
    run: (w) => call(w, 'POST', '/api/auth/activate', { phone: org.memberA.phone, code: 'ABCDEFGH', password: 'whatever-pw' }),
    expect: { anonymous: 401, member: 401, secretary: 401, admin: 401, otherBranchMember: 401 },
  },
  // The current password wrong: refused with the reason, for anyone signed in.
  'POST /api/me/password': {
    run: (w) => call(w, 'POST', '/api/me/password', { current: 'not-the-password', password: 'hongqi-2026' }),
    expect: { anonymous: 401, member: 400, secretary: 400, admin: 400, otherBranchMember: 400 },
  },
  'GET /api/me/two-factor': {
    run: (w) => call(w, 'GET', '/api/me/two-factor'),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'POST /api/me/two-factor/start': {
    run: (w) => call(w, 'POST', '/api/me/two-factor/start', {}),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  // A wrong code (the enrolment just started above): refused with the reason, for managers only.
  'POST /api/me/two-factor/confirm': {
    run: (w) => call(w, 'POST', '/api/me/two-factor/confirm', { code: '000000' }),
    expect: { anonymous: 401, member: 403, secretary: 400, admin: 400, otherBranchMember: 403 },
  },
  'POST /api/me/two-factor/recovery-codes': {
    run: (w) => call(w, 'POST', '/api/me/two-factor/recovery-codes', { code: '000000' }),
    expect: { anonymous: 401, member: 403, secretary: 400, admin: 400, otherBranchMember: 403 },
  },
  'POST /api/me/two-factor/disable': {
    run: (w) => call(w, 'POST', '/api/me/two-factor/disable', { code: '000000' }),
    expect: { anonymous: 401, member: 403, secretary: 400, admin: 400, otherBranchMember: 403 },
  },
  // A made-up token: whoever asks, the second step signs nobody in.
  'POST /api/auth/login/verify': {
    run: (w) => call(w, 'POST', '/api/auth/login/verify', { ticket: 'x'.repeat(43), code: '123456' }),
    expect: { anonymous: 401, member: 401, secretary: 401, admin: 401, otherBranchMember: 401 },
  },
  'GET /api/admin/compliance-sheet': {
    run: (w) => call(w, 'GET', '/api/admin/compliance-sheet'),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/admin/audit/export': {
    run: (w) => call(w, 'GET', '/api/admin/audit/export?from=2026-01-01&to=2026-12-31&format=csv'),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/me/sessions': {
    run: (w) => call(w, 'GET', '/api/me/sessions'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  // Somebody else's device (or none): not found, whoever asks.
  'POST /api/me/sessions/:id/revoke': {
    run: (w) => call(w, 'POST', `/api/me/sessions/${newId()}/revoke`, {}),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'POST /api/me/sessions/revoke-others': {
    run: (w) => call(w, 'POST', '/api/me/sessions/revoke-others', {}),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/me/export': {
    run: (w) => call(w, 'GET', '/api/me/export'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/me/export.xlsx': {
    run: (w) => call(w, 'GET', '/api/me/export.xlsx'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  // Meetings: see meetings.test.ts for the per-meeting matrix; these use a meeting nobody can see.
  'GET /api/meetings/:file': {
    run: (w) => call(w, 'GET', `/api/meetings/${newId()}.ics`),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/ledger/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/ledger/${org.branchA}/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/org/rules': {
    run: (w) => call(w, 'GET', '/api/org/rules'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/admin/rules': {
    run: (w) => call(w, 'POST', '/api/admin/rules', { rules: null }),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  // 学时: the settings for everyone (each sees their own flags: tests/integration/training.test.ts); set by administrators.
  'GET /api/org/training': {
    run: (w) => call(w, 'GET', '/api/org/training'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/admin/training': {
    run: (w) => call(w, 'POST', '/api/admin/training', { settings: null }),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/training-ledger/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/training-ledger/${org.branchA}/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  // Photos: see visits.test.ts for who may upload and fetch a visit's photos; here a photo of no visit.
  'PUT /api/photos/:id': {
    run: (w) => call(w, 'PUT', `/api/photos/${newId()}?visit=${newId()}&offset=0&total=10`, new Blob([new Uint8Array(10)])),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/photos/:id/status': {
    run: (w) => call(w, 'GET', `/api/photos/${newId()}/status`),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/photos/:id': {
    run: (w) => call(w, 'GET', `/api/photos/${newId()}`),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/visits-ledger/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/visits-ledger/${org.branchA}/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  // Read by its secret only (a phone's calendar app has no session): an unknown secret is 404 for everyone.
  'GET /api/study-ledger/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/study-ledger/${org.branchA}/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  // 述职评议 pack: a branch's for its secretary and administrators; the organ's roll-up for administrators only.
  'GET /api/year-report/:scope/:year': {
    run: (w) => call(w, 'GET', `/api/year-report/${org.branchA}/2026`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/year-report-xlsx/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/year-report-xlsx/org/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/calendar/:file': {
    run: (w) => call(w, 'GET', `/api/calendar/${'B'.repeat(43)}.ics`),
    expect: { anonymous: 404, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  // The person's own privacy state, acceptance and consents: every signed-in person, only their own.
  'GET /api/me/privacy': {
    run: (w) => call(w, 'GET', '/api/me/privacy'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/me/privacy/accept': {
    run: (w) => call(w, 'POST', '/api/me/privacy/accept', { version: PRIVACY_NOTICE_VERSION }),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'POST /api/me/consents': {
    run: (w) => call(w, 'POST', '/api/me/consents', { kind: 'location', granted: false }),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  // 党费: naming branch A's 收缴员 (its secretary, administrators); its 台账 (also the 收缴员: see "党费" below).
  'POST /api/dues/collector/:id': {
    run: (w) => call(w, 'POST', `/api/dues/collector/${org.branchA}`, { memberId: collectorA }),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/dues-ledger/:scope/:file': {
    run: (w) => call(w, 'GET', `/api/dues-ledger/${org.branchA}/2026.xlsx`),
    expect: { anonymous: 401, member: 403, secretary: 200, admin: 200, otherBranchMember: 403 },
  },
  'GET /api/sync/pull': {
    run: (w) => call(w, 'GET', '/api/sync/pull'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/reminders/channels': {
    run: (w) => call(w, 'GET', '/api/reminders/channels'),
    expect: { anonymous: 401, member: 200, secretary: 200, admin: 200, otherBranchMember: 200 },
  },
  'GET /api/admin/reminders/failures': {
    run: (w) => call(w, 'GET', '/api/admin/reminders/failures'),
    expect: { anonymous: 401, member: 403, secretary: 403, admin: 200, otherBranchMember: 403 },
  },
  // The year's review on a cycle nobody has: refused alike for everyone signed in (per role on a
  // real cycle in "the year's review" below).
  'POST /api/review/cycles/:id/ballot': {
    run: (w) => call(w, 'POST', `/api/review/cycles/${newId()}/ballot`, { grades: {} }),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/review/cycles/:id/my-ballot': {
    run: (w) => call(w, 'GET', `/api/review/cycles/${newId()}/my-ballot`),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/review/cycles/:id/turnout': {
    run: (w) => call(w, 'GET', `/api/review/cycles/${newId()}/turnout`),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'GET /api/review/cycles/:id/tally': {
    run: (w) => call(w, 'GET', `/api/review/cycles/${newId()}/tally`),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
  'POST /api/review/cycles/:id/paper-tallies': {
    run: (w) => call(w, 'POST', `/api/review/cycles/${newId()}/paper-tallies`, { id: newId(), ballots: 1, counts: {} }),
    expect: { anonymous: 401, member: 404, secretary: 404, admin: 404, otherBranchMember: 404 },
  },
}

let phoneSeq = 0
const nextPhone = () => `1360000${String(phoneSeq++).padStart(4, '0')}`
const rosterFile = (csv: string) => ({ fileName: 'roster.csv', content: Buffer.from(csv).toString('base64') })
let groupA = ''
let collectorA = ''

/**
 * Administration of one person, per role and per target: the viewer themselves, a person of
 * branch A (the secretary's branch) and one of branch B. Each cell acts on a fresh person.
 */
type PersonTarget = 'self' | 'branchPeer' | 'otherBranch'
type Expect = Record<Exclude<Who, 'anonymous'>, Record<PersonTarget, number>>
const all = (n: number): Record<PersonTarget, number> => ({ self: n, branchPeer: n, otherBranch: n })
const membersRefused = { member: all(403), otherBranchMember: all(403) }
const secretaryBranchOnly = { self: 200, branchPeer: 200, otherBranch: 404 }
const adminOnlyNotSelf = { ...membersRefused, secretary: all(403), admin: { self: 422, branchPeer: 200, otherBranch: 200 } }
const PEOPLE_MATRIX: Record<string, { run: (who: Who, id: string, branch: 'A' | 'B' | null) => Promise<Response>; expect: Expect }> = {
  'POST /api/admin/people/:id': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}`, { note: '备注' }),
    expect: { ...membersRefused, secretary: secretaryBranchOnly, admin: all(200) },
  },
  'POST /api/admin/people/:id/activation': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/activation`, {}),
    expect: { ...membersRefused, secretary: secretaryBranchOnly, admin: all(200) },
  },
  'GET /api/admin/people/:id/events': {
    run: (w, id) => call(w, 'GET', `/api/admin/people/${id}/events`),
    expect: { ...membersRefused, secretary: secretaryBranchOnly, admin: all(200) },
  },
  'POST /api/admin/people/:id/role': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/role`, { role: 'secretary' }),
    expect: adminOnlyNotSelf,
  },
  'POST /api/admin/people/:id/move': {
    run: (w, id, branch) =>
      call(w, 'POST', `/api/admin/people/${id}/move`, { branchId: branch === 'B' ? org.branchA : org.branchB, date: '2026-11-28' }),
    expect: adminOnlyNotSelf,
  },
  'POST /api/admin/people/:id/remove': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/remove`, { reason: 'left', date: '2026-11-28' }),
    expect: adminOnlyNotSelf,
  },
  // A cadre, or an old, frail or seriously ill member: marked by their branch's secretary or an administrator.
  'POST /api/training/flags/:id': {
    run: (w, id) => call(w, 'POST', `/api/training/flags/${id}`, { cadre: true, exempt: false }),
    expect: { ...membersRefused, secretary: secretaryBranchOnly, admin: all(200) },
  },
  'POST /api/admin/people/:id/sign-out': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/sign-out`, {}),
    expect: adminOnlyNotSelf,
  },
  // The 企业微信 / 政务微信 account a person's reminders go to: administrators only (their own too).
  'GET /api/admin/people/:id/wecom': {
    run: (w, id) => call(w, 'GET', `/api/admin/people/${id}/wecom`),
    expect: { ...membersRefused, secretary: all(403), admin: all(200) },
  },
  'POST /api/admin/people/:id/wecom': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/wecom`, { wecomUserId: 'zhangsan' }),
    expect: { ...membersRefused, secretary: all(403), admin: all(200) },
  },
  // Another administrator's act (a lost phone); one's own two-factor login is never reset by oneself.
  'POST /api/admin/people/:id/two-factor/reset': {
    run: (w, id) => call(w, 'POST', `/api/admin/people/${id}/two-factor/reset`, {}),
    expect: { ...membersRefused, secretary: all(403), admin: { self: 403, branchPeer: 200, otherBranch: 200 } },
  },
}

interface TableRule {
  read: Record<Exclude<Who, 'anonymous'>, Target[]>
  write: Record<Exclude<Who, 'anonymous'>, Target[]>
  /** The write attempted on an existing record. */
  attempt: (rowId: string) => Record<string, unknown>
}
const ownRecordsRule = {
  read: {
    member: ['ownOfMember'],
    secretary: ['ownOfMember', 'branchPeer'],
    admin: ['ownOfMember', 'branchPeer', 'otherBranch'],
    otherBranchMember: ['otherBranch'],
  },
  write: { member: ['ownOfMember'], secretary: [], admin: [], otherBranchMember: ['otherBranch'] },
} satisfies Omit<TableRule, 'attempt'>
/** Per synced table: may this role READ and WRITE this record (member = owner of ownOfMember)? */
const TABLE_MATRIX: Record<
  (typeof SYNCED_TABLES)[number],
  | TableRule
  | 'not-per-record'
  | 'meetings.test.ts'
  | 'visits.test.ts'
  | 'feedback.test.ts'
  | '党费 (below)'
  | 'rectifications.test.ts'
  | "the year's review"
> = {
  study_records: {
    ...ownRecordsRule,
    attempt: (rowId) => ({ op: 'upsert', rowId, fields: { minutes: 31 + Math.floor(Math.random() * 60) } }),
  },
  // Oath renewals are never edited; writing one is withdrawing it.
  oath_renewals: { ...ownRecordsRule, attempt: (rowId) => ({ op: 'delete', rowId }) },
  // Reminder settings are nobody's business but the person's own.
  reminder_settings: {
    read: { member: ['ownOfMember'], secretary: [], admin: [], otherBranchMember: ['otherBranch'] },
    write: { member: ['ownOfMember'], secretary: [], admin: [], otherBranchMember: ['otherBranch'] },
    attempt: (rowId) => ({ op: 'upsert', rowId, fields: { quietStart: '21:30' } }),
  },
  // Per meeting, role and branch in tests/integration/meetings.test.ts (its own matrix).
  meetings: 'meetings.test.ts',
  attendance: 'meetings.test.ts',
  makeups: 'meetings.test.ts',
  // Per household, visit, role and branch in tests/integration/visits.test.ts.
  households: 'visits.test.ts',
  visits: 'visits.test.ts',
  followups: 'visits.test.ts',
  // 投诉建议: the author and administrators only, and who learns the author, in tests/integration/feedback.test.ts.
  feedback: 'feedback.test.ts',
  // 其他培训: the member's own; the branch's secretary reads (and confirms: training.test.ts), never edits.
  outside_trainings: {
    ...ownRecordsRule,
    attempt: (rowId) => ({ op: 'upsert', rowId, fields: { notes: `matrix ${Math.random()}` } }),
  },
  // Per item, role and branch (and the owner's closing) in tests/integration/rectifications.test.ts.
  rectifications: 'rectifications.test.ts',
  // Per role (with the branch committee) and per row (a draft, a handed-in paper, a grade) in "the year's review" below.
  review_cycles: "the year's review",
  review_papers: "the year's review",
  review_grades: "the year's review",
  // Branch names are organisation-wide; people are checked in the next test.
  branches: 'not-per-record',
  users: 'not-per-record',
  // Personal financial data: the member, the branch's 收缴员 and secretary, administrators; see "党费" below.
  dues_profiles: '党费 (below)',
  dues_payments: '党费 (below)',
}

async function pulledIds(who: Who): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor = ''
  for (;;) {
    const page = (await (await call(who, 'GET', `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=2000`)).json()) as PullResponse
    for (const c of page.changes) if (!c.deleted) ids.add(`${c.table}/${c.rowId}`)
    cursor = page.cursor
    if (!page.hasMore) return ids
  }
}

describe('authorisation matrix', () => {
  it('has an entry for every API route and every synced table', () => {
    expect([...new Set(server.app.apiRoutes.filter((r) => r.includes(' /api/')))].sort()).toEqual(
      [...Object.keys(ROUTE_MATRIX), ...Object.keys(PEOPLE_MATRIX)].sort(),
    )
    expect(Object.keys(TABLE_MATRIX).sort()).toEqual([...SYNCED_TABLES].sort())
  })

  for (const [route, m] of Object.entries(ROUTE_MATRIX)) {
    for (const who of ROLES) {
      it(`${route} as ${who} → ${m.expect[who]}`, async () => {
        expect((await m.run(who)).status).toBe(m.expect[who])
      })
    }
  }

  for (const [route, m] of Object.entries(PEOPLE_MATRIX)) {
    for (const who of ROLES) {
      for (const target of ['self', 'branchPeer', 'otherBranch'] as PersonTarget[]) {
        const want = who === 'anonymous' ? 401 : m.expect[who][target]
        it(`${route} as ${who} on ${target} → ${want}`, async () => {
          const selfIds: Record<Exclude<Who, 'anonymous'>, [string, 'A' | 'B' | null]> = {
            member: [org.memberA.id, 'A'],
            secretary: [org.secretaryA.id, 'A'],
            admin: [org.admin.id, null],
            otherBranchMember: [org.memberB.id, 'B'],
          }
          const [id, branch] =
            target === 'self'
              ? who === 'anonymous'
                ? [org.memberA.id, 'A' as const]
                : selfIds[who]
              : await freshPerson(target === 'branchPeer' ? 'A' : 'B')
          expect((await m.run(who, id, branch)).status).toBe(want)
        })
      }
    }
  }

  for (const [table, m] of Object.entries(TABLE_MATRIX)) {
    if (typeof m === 'string') continue
    const ids = records[table as keyof typeof records]
    // Writes last: a withdrawn renewal is no longer readable.
    for (const who of ['secretary', 'admin', 'otherBranchMember', 'member'] as const) {
      for (const target of ['branchPeer', 'otherBranch', 'ownOfMember'] as Target[]) {
        const canRead = m.read[who].includes(target)
        const canWrite = m.write[who].includes(target)
        it(`${table}: ${who} ${canRead ? 'reads' : 'cannot read'} and ${canWrite ? 'writes' : 'cannot write'} ${target}`, async () => {
          expect((await pulledIds(who)).has(`${table}/${ids[target]}`)).toBe(canRead)
          const res = (await (
            await call(who, 'POST', '/api/sync/push', {
              clientId: newId(),
              mutations: [{ id: newId(), table, base: {}, clientTime: '', v: MUTATION_VERSION, ...m.attempt(ids[target]) }],
            })
          ).json()) as PushResponse
          expect(res.results[0]?.status).toBe(canWrite ? 'applied' : 'rejected')
          if (!canWrite) expect(res.results[0]?.code).toBe('forbidden')
          // A refusal never leaks a row the viewer may not read.
          if (!canRead) expect(res.results[0]?.row ?? null).toBeNull()
        })
      }
    }
  }

  it("people: members see their own branch; administrators see everyone; nobody sees password hashes or other branches' phones", async () => {
    const usersOf = async (who: Who) => {
      const page = (await (await call(who, 'GET', '/api/sync/pull?limit=2000')).json()) as PullResponse
      return page.changes.filter((c) => c.table === 'users').map((c) => c.row as Record<string, unknown>)
    }
    const member = await usersOf('member')
    expect(member.map((u) => u.id)).toEqual(expect.arrayContaining([org.memberA.id, org.memberA2.id, org.secretaryA.id]))
    expect(member.every((u) => u.branchId === org.branchA)).toBe(true)
    const everyone = (await usersOf('admin')).map((u) => u.id)
    expect(everyone).toEqual(expect.arrayContaining([org.memberA.id, org.memberB.id, org.admin.id]))
    const inDb = await server.handle.db.selectFrom('users').select('id').execute()
    expect(everyone.length).toBe(inDb.length)
    for (const u of [...member, ...(await usersOf('admin'))]) {
      expect(u).not.toHaveProperty('password_hash')
      expect(u).not.toHaveProperty('phone')
    }
  })
})

/**
 * 党费: a member's base and receipts are personal financial data. Read by the member, the branch's
 * 收缴员 (while named), its secretary and administrators; never by another member of the branch nor
 * by another branch's secretary. Receipts are recorded only by the 收缴员 and, as a backup, the
 * secretary, never for oneself and never as anything but the member's own cash or transfer.
 */
describe('党费', () => {
  type Person = 'member' | 'peer' | 'collector' | 'secretary' | 'admin' | 'otherBranchMember' | 'otherSecretary'
  const jar = new Map<Person, ReturnType<typeof cookieFetch>>()
  const profileId = () => org.memberA.id
  let receiptId = ''
  const today = chinaToday(new Date())
  const month = monthOf(today)
  const push = async (who: Person, m: Record<string, unknown>) => {
    const f = jar.get(who) as ReturnType<typeof cookieFetch>
    const res = await f(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
      body: JSON.stringify({ clientId: newId(), mutations: [{ id: newId(), base: {}, clientTime: '', v: MUTATION_VERSION, ...m }] }),
    })
    return ((await res.json()) as PushResponse).results[0]
  }
  const pulled = async (who: Person) => {
    const f = jar.get(who) as ReturnType<typeof cookieFetch>
    const ids = new Set<string>()
    let cursor = ''
    for (;;) {
      const page = (await (
        await f(`${server.url}/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=2000`, {
          headers: { [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
        })
      ).json()) as PullResponse
      for (const c of page.changes) if (!c.deleted) ids.add(`${c.table}/${c.rowId}`)
      cursor = page.cursor
      if (!page.hasMore) return ids
    }
  }
  const declaration = (base: number) => ({
    op: 'upsert',
    table: 'dues_profiles',
    rowId: org.memberA.id,
    fields: { memberId: org.memberA.id, category: 'in_service', baseFen: base, fromMonth: month, checkedOn: today },
  })
  const special = (fields: Record<string, unknown> = {}) => ({
    op: 'upsert',
    table: 'dues_payments',
    rowId: newId(),
    fields: {
      memberId: org.memberA.id,
      kind: 'special',
      months: [],
      amountFen: 10000,
      method: 'cash',
      receivedOn: today,
      notes: '',
      createdAt: new Date().toISOString(),
      ...fields,
    },
  })

  beforeAll(async () => {
    const otherSecretary = await createUser(server.handle.db, {
      orgId: org.orgId,
      branchId: org.branchB,
      name: '乙书记',
      phone: '13700000002',
      role: 'secretary',
      passwordHash: await hashPassword(PASSWORD),
    })
    expect(otherSecretary).toBeTruthy()
    const phones: Record<Person, string> = {
      member: org.memberA.phone,
      peer: org.memberA2.phone,
      collector: '13700000001',
      secretary: org.secretaryA.phone,
      admin: org.admin.phone,
      otherBranchMember: org.memberB.phone,
      otherSecretary: '13700000002',
    }
    for (const [who, phone] of Object.entries(phones) as [Person, string][]) jar.set(who, await signIn(server, phone))
    expect((await call('secretary', 'POST', `/api/dues/collector/${org.branchA}`, { memberId: collectorA })).status).toBe(200)
    expect((await push('member', declaration(450000)))?.status).toBe('applied')
    const r = special({ kind: 'monthly', months: [month], amountFen: monthlyDue('in_service', 450000, month).dueFen })
    receiptId = r.rowId
    expect(await push('collector', r)).toMatchObject({ status: 'applied' })
  })

  const READERS: Record<Person, boolean> = {
    member: true,
    peer: false,
    collector: true,
    secretary: true,
    admin: true,
    otherBranchMember: false,
    otherSecretary: false,
  }
  for (const [who, reads] of Object.entries(READERS) as [Person, boolean][]) {
    it(`${who} ${reads ? 'reads' : 'cannot read'} the member's base and receipts`, async () => {
      const ids = await pulled(who)
      expect(ids.has(`dues_profiles/${profileId()}`)).toBe(reads)
      expect(ids.has(`dues_payments/${receiptId}`)).toBe(reads)
    })
  }

  const DECLARERS: Record<Person, boolean> = { ...READERS }
  for (const [who, may] of Object.entries(DECLARERS) as [Person, boolean][]) {
    it(`${who} ${may ? 'may' : 'may not'} declare the member's base`, async () => {
      const r = await push(who, declaration(450000))
      expect(r?.status).toBe(may ? 'applied' : 'rejected')
      if (!may) {
        expect(r?.code).toBe('forbidden')
        expect(r?.row ?? null).toBeNull()
      }
    })
  }

  const RECORDERS: Record<Person, boolean> = {
    member: false,
    peer: false,
    collector: true,
    secretary: true,
    admin: false,
    otherBranchMember: false,
    otherSecretary: false,
  }
  for (const [who, may] of Object.entries(RECORDERS) as [Person, boolean][]) {
    it(`${who} ${may ? 'records' : 'cannot record'} a receipt of the member`, async () => {
      const r = await push(who, special())
      expect(r?.status).toBe(may ? 'applied' : 'rejected')
      if (!may) expect(r?.code).toBe('forbidden')
    })
  }

  it('no one records dues paid by the branch or deducted from pay, nor a payer other than the member (不得垫交或扣缴)', async () => {
    for (const method of ['payroll', 'branch', 'deduction']) {
      const r = await push('collector', special({ method }))
      expect(r?.status).toBe('rejected')
      expect(r?.message).toContain('收款方式只能是现金或转账')
    }
    const payer = await push('collector', special({ payerId: org.secretaryA.id }))
    expect(payer?.status).toBe('rejected')
    expect(payer?.code).toBe('validation')
  })

  it('the 收缴员 does not record their own dues; a receipt is never edited, only voided by those who record them', async () => {
    const own = await push('collector', { ...special(), fields: { ...special().fields, memberId: collectorA } })
    expect(own).toMatchObject({ status: 'rejected', code: 'forbidden' })
    const edit = await push('collector', { ...special(), rowId: receiptId })
    expect(edit).toMatchObject({ status: 'rejected', code: 'conflict' })
    const r = special()
    expect((await push('collector', r))?.status).toBe('applied')
    expect(await push('member', { op: 'delete', table: 'dues_payments', rowId: r.rowId })).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
    })
    expect((await push('secretary', { op: 'delete', table: 'dues_payments', rowId: r.rowId }))?.status).toBe('applied')
  })

  it('the 收缴员 downloads the branch ledger; a peer may not', async () => {
    const c = jar.get('collector') as ReturnType<typeof cookieFetch>
    expect((await c(`${server.url}/api/dues-ledger/${org.branchA}/2026.xlsx`)).status).toBe(200)
    const p = jar.get('peer') as ReturnType<typeof cookieFetch>
    expect((await p(`${server.url}/api/dues-ledger/${org.branchA}/2026.xlsx`)).status).toBe(403)
    const o = jar.get('otherSecretary') as ReturnType<typeof cookieFetch>
    expect((await o(`${server.url}/api/dues-ledger/${org.branchA}/2026.xlsx`)).status).toBe(403)
  })

  it("another branch's secretary cannot name a 收缴员 here, nor anyone name a member of another branch", async () => {
    const o = jar.get('otherSecretary') as ReturnType<typeof cookieFetch>
    const res = await o(`${server.url}/api/dues/collector/${org.branchA}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ memberId: null }),
    })
    expect(res.status).toBe(403)
    expect((await call('admin', 'POST', `/api/dues/collector/${org.branchA}`, { memberId: org.memberB.id })).status).toBe(422)
  })

  it('a 收缴员 replaced no longer reads the branch dues, and their phone re-pulls', async () => {
    expect((await call('secretary', 'POST', `/api/dues/collector/${org.branchA}`, { memberId: org.memberA2.id })).status).toBe(200)
    expect((await pulled('collector')).has(`dues_payments/${receiptId}`)).toBe(false)
    expect((await pulled('peer')).has(`dues_payments/${receiptId}`)).toBe(true)
    const scope = await server.handle.db
      .selectFrom('users')
      .select(['id', 'scope_version'])
      .where('id', 'in', [collectorA, org.memberA2.id])
      .execute()
    expect(scope.every((s) => Number(s.scope_version) > 0)).toBe(true)
    expect((await call('secretary', 'POST', `/api/dues/collector/${org.branchA}`, { memberId: collectorA })).status).toBe(200)
  })
})

/**
 * The year's review (docs/review-ballots.md, "Who reads what"): a draft is its author's alone (not
 * the secretary's, not administrators'); a handed-in paper is also the branch committee's; a grade
 * is its member's and the committee's; nobody reads a ballot, and the tally only once closed.
 */
describe("the year's review", () => {
  type Reader = 'member' | 'peer' | 'secretary' | 'committee' | 'admin' | 'otherBranchMember'
  const READERS: Reader[] = ['member', 'peer', 'secretary', 'committee', 'admin', 'otherBranchMember']
  const phones = new Map<Reader, Device>()
  const rows = { cycle: '', draft: '', handedIn: '', grade: '' }
  let cycle: ReviewCycle

  beforeAll(async () => {
    const committee = await createUser(server.handle.db, {
      orgId: org.orgId,
      branchId: org.branchA,
      name: '支部委员',
      phone: nextPhone(),
      role: 'member',
      passwordHash: await hashPassword(PASSWORD),
    })
    await server.handle.db.updateTable('users').set({ committee: 1 }).where('id', '=', committee).execute()
    const phoneOf = await server.handle.db.selectFrom('users').select('phone').where('id', '=', committee).executeTakeFirstOrThrow()
    const numbers: Record<Reader, string> = {
      member: org.memberA.phone,
      peer: org.memberA2.phone,
      secretary: org.secretaryA.phone,
      committee: phoneOf.phone,
      admin: org.admin.phone,
      otherBranchMember: org.memberB.phone,
    }
    for (const r of READERS) phones.set(r, await device(server, numbers[r]))
    const phone = (r: Reader) => phones.get(r) as Device
    const meeting = await appraisalMeeting(server, org, phone('secretary'), Date.now() - 20 * 60_000)
    cycle = await openReview(org, phone('secretary'), meeting, 2024)
    rows.cycle = cycle.id
    for (const r of READERS) await syncOf(phone(r))
    await savePaper(phone('member').db, phone('member').user, cycle, 'statement', '草稿')
    await savePaper(phone('peer').db, phone('peer').user, cycle, 'written', '书面发言', true)
    rows.draft = reviewPaperId(cycle.id, org.memberA.id)
    rows.handedIn = reviewPaperId(cycle.id, org.memberA2.id)
    await markAttendance(phone('secretary').db, phone('secretary').user, meeting, org.memberA.id, 'present')
    await syncOf(phone('secretary'))
    cycle = await moveBallot(phone('secretary'), cycle, 'open')
    await saveGrade(phone('secretary').db, phone('secretary').user, cycle, org.memberA.id, 'qualified', '反馈意见')
    rows.grade = reviewGradeId(cycle.id, org.memberA.id)
    for (const r of READERS) await syncOf(phone(r))
    const grades = Object.fromEntries(cycle.subjectIds.map((id) => [id, 'excellent' as const]))
    await reviewApiOf(server, phone('member')).castBallot(cycle.id, { grades })
  })

  const READS: Record<keyof typeof rows, Reader[]> = {
    cycle: ['member', 'peer', 'secretary', 'committee', 'admin'],
    draft: ['member'],
    handedIn: ['peer', 'secretary', 'committee'],
    grade: ['member', 'secretary', 'committee'],
  }
  const TABLE: Record<keyof typeof rows, string> = {
    cycle: 'review_cycles',
    draft: 'review_papers',
    handedIn: 'review_papers',
    grade: 'review_grades',
  }
  for (const [row, readers] of Object.entries(READS) as [keyof typeof rows, Reader[]][])
    for (const r of READERS)
      it(`${row}: ${r} ${readers.includes(r) ? 'reads it' : 'never reads it'}`, async () => {
        const d = phones.get(r) as Device
        await syncOf(d)
        expect(!!(await d.db.table(TABLE[row]).get(rows[row])), `${r} / ${row}`).toBe(readers.includes(r))
      })

  const WRITES: Record<'cycle' | 'draft' | 'grade', { writers: Reader[]; fields: Record<string, unknown> }> = {
    cycle: { writers: ['secretary', 'admin'], fields: { prompt: '修改后的征求意见' } },
    draft: { writers: ['member'], fields: { text: '修改后的草稿' } },
    grade: { writers: ['secretary', 'committee'], fields: { feedback: '修改后的反馈' } },
  }
  for (const [row, { writers, fields }] of Object.entries(WRITES) as [keyof typeof WRITES, (typeof WRITES)['cycle']][])
    for (const r of READERS)
      it(`${row}: ${r} ${writers.includes(r) ? 'writes it' : 'cannot write it'}`, async () => {
        const d = phones.get(r) as Device
        const res = await d.api.push({
          clientId: newId(),
          mutations: [
            {
              id: newId(),
              table: TABLE[row] as 'review_cycles',
              op: 'upsert',
              rowId: rows[row],
              fields,
              base: {},
              clientTime: '',
              v: MUTATION_VERSION,
            },
          ],
        })
        expect(res.results[0]?.status, `${r} / ${row}: ${res.results[0]?.message ?? ''}`).toBe(writers.includes(r) ? 'applied' : 'rejected')
        if (!READS[row].includes(r)) expect(res.results[0]?.row ?? null).toBeNull()
      })

  it('nobody reads a ballot: no pull carries one; turnout names voters, never grades; the tally is refused before close', async () => {
    for (const r of READERS) {
      const d = phones.get(r) as Device
      const api = reviewApiOf(server, d)
      const page = await d.api.pull('', 2000)
      expect(page.changes.some((c) => JSON.stringify(c.row ?? {}).includes('"grades"'))).toBe(false)
      const t = await api.turnout(cycle.id).catch((e: unknown) => e)
      if (r === 'secretary' || r === 'committee')
        expect(Object.keys(t as object).sort()).toEqual(['ballot', 'paperBallots', 'presentIds', 'voterIds'])
      else expect(t).toBeInstanceOf(ApiError)
      await expect(api.tally(cycle.id)).rejects.toBeInstanceOf(ApiError)
    }
    // Only members of the branch assessed, signed in to the meeting, vote: not peers absent, not administrators, not another branch.
    for (const r of ['peer', 'admin', 'otherBranchMember'] as const) {
      const grades = Object.fromEntries(cycle.subjectIds.map((id) => [id, 'qualified' as const]))
      await expect(reviewApiOf(server, phones.get(r) as Device).castBallot(cycle.id, { grades })).rejects.toMatchObject({ status: 403 })
    }
  })
})

describe('party dates', () => {
  const setDates = (who: Who, rowId: string, fields: Record<string, unknown>) =>
    call(who, 'POST', '/api/sync/push', {
      clientId: newId(),
      mutations: [{ id: newId(), table: 'users', op: 'upsert', rowId, fields, base: {}, clientTime: '', v: MUTATION_VERSION }],
    }).then(async (r) => ((await r.json()) as PushResponse).results[0])

  it("a member sets their own 入党日期 and 转正日期; nobody sets another person's", async () => {
    expect((await setDates('member', org.memberA.id, { joinedPartyOn: '2006-07-01', fullMemberOn: '2007-07-01' }))?.status).toBe('applied')
    for (const who of ['secretary', 'admin', 'otherBranchMember'] as const) {
      const r = await setDates(who, org.memberA.id, { joinedPartyOn: '2001-01-01' })
      expect(r?.status).toBe('rejected')
      expect(r?.code).toBe('forbidden')
    }
  })

  it('refuses impossible dates with a Chinese reason', async () => {
    expect((await setDates('member', org.memberA.id, { fullMemberOn: '2006-01-01' }))?.message).toBe('转正日期应晚于入党日期')
    expect((await setDates('member', org.memberA.id, { joinedPartyOn: '2999-01-01', fullMemberOn: null }))?.message).toBe(
      '入党日期不能晚于今天',
    )
    expect((await setDates('member', org.memberA.id, { name: '改名' }))?.code).toBe('validation')
  })

  it('only the person, their branch secretary and administrators see the dates', async () => {
    const datesSeenBy = async (who: Who) => {
      const page = (await (await call(who, 'GET', '/api/sync/pull?limit=2000')).json()) as PullResponse
      return page.changes.find((c) => c.table === 'users' && c.rowId === org.memberA.id)?.row?.joinedPartyOn
    }
    expect(await datesSeenBy('member')).toBe('2006-07-01')
    expect(await datesSeenBy('secretary')).toBe('2006-07-01')
    expect(await datesSeenBy('admin')).toBe('2006-07-01')
    const peer = await signIn(server, org.memberA2.phone)
    const page = (await (await peer(`${server.url}/api/sync/pull?limit=2000`)).json()) as PullResponse
    expect(page.changes.find((c) => c.table === 'users' && c.rowId === org.memberA.id)?.row?.joinedPartyOn).toBeNull()
  })
})

/**
 * Cross-site request forgery, over every route of the matrix above (so a new route is covered as
 * soon as it is listed there, and the matrix fails until it is). The app is reached as
 * http://app.suixing.test (the Host header names it, as a browser's would); each state-changing
 * request is sent with an administrator's session as a page elsewhere could make a browser send
 * it, and must be refused before it does anything; the app's own JSON request passes.
 */
describe('cross-site request forgery', () => {
  const APP = 'http://app.suixing.test'
  const OWN = { origin: APP, 'sec-fetch-site': 'same-origin' }
  const FORGERIES: { name: string; headers: Record<string, string>; type?: string; status: number; code: string }[] = [
    { name: 'another site', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, status: 403, code: 'forbidden' },
    {
      name: 'a sibling subdomain (the same site: SameSite cookies are sent)',
      headers: { origin: 'http://evil.suixing.test', 'sec-fetch-site': 'same-site' },
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'another port of the same host (the same site)',
      headers: { origin: `${APP}:8081`, 'sec-fetch-site': 'same-site' },
      status: 403,
      code: 'forbidden',
    },
    { name: 'Sec-Fetch-Site: same-site without Origin', headers: { 'sec-fetch-site': 'same-site' }, status: 403, code: 'forbidden' },
    { name: 'Origin: null (a sandboxed frame)', headers: { origin: 'null' }, status: 403, code: 'forbidden' },
    {
      name: 'text/plain (no CORS preflight) from the app itself',
      headers: OWN,
      type: 'text/plain;charset=UTF-8',
      status: 415,
      code: 'bad_request',
    },
    { name: 'no content type from the app itself', headers: OWN, type: '', status: 415, code: 'bad_request' },
  ]
  let adminCookie = ''

  /** Sends as a browser on http://app.suixing.test would, with `headers`; `type` replaces the body's content type ('' = none). */
  const asBrowser =
    (headers: Record<string, string>, type?: string): Send =>
    async (who, method, path, body, bodyType) => {
      if (who !== 'admin' && who !== 'anonymous') throw new Error('the forgery test acts as an administrator')
      const data = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(await body.arrayBuffer())
      const contentType = type ?? bodyType
      const all: Record<string, string> = {
        ...headers,
        host: new URL(APP).host,
        ...(who === 'admin' ? { cookie: adminCookie } : {}),
        ...(contentType ? { 'content-type': contentType } : {}),
        ...(data ? { 'content-length': String(data.length) } : {}),
      }
      return new Promise<Response>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: new URL(server.url).port, method, path, headers: all }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 500 })))
        })
        req.on('error', reject)
        req.end(data)
      })
    }

  beforeAll(async () => {
    // A session of its own: revoking "other devices" through the matrix must not end the suite's.
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: org.admin.phone, password: PASSWORD }),
    })
    adminCookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? ''
  })
  afterEach(() => {
    send = fromJar
  })

  const every = [
    ...Object.entries(ROUTE_MATRIX).map(([route, m]) => ({ route, run: () => m.run('admin') })),
    ...Object.entries(PEOPLE_MATRIX).map(([route, m]) => ({ route, run: async () => m.run('admin', ...(await freshPerson('A'))) })),
  ]
  for (const { route, run } of every) {
    const changes = /^(POST|PUT|PATCH|DELETE) /.test(route)
    it(`${route}: ${changes ? "refuses requests from elsewhere and bodies that are not JSON; the app's own request passes" : 'a read is never refused for its origin'}`, async () => {
      const refusedHere = async (res: Response) =>
        res.status === 415 ||
        (res.status === 403 && ((await res.clone().json()) as { error: { message: string } }).error.message === CROSS_ORIGIN_MESSAGE)
      for (const f of changes ? FORGERIES : []) {
        send = asBrowser(f.headers, f.type)
        const res = await run()
        expect(res.status, f.name).toBe(f.status)
        const body = (await res.json()) as { error: { code: string; message: string } }
        expect(body.error.code, f.name).toBe(f.code)
        expect(body.error.message, f.name).toMatch(/[\u4e00-\u9fff]/)
      }
      // The app's own page, a browser sending Origin alone, a client that is not a browser; reads also from elsewhere.
      const passing: Record<string, string>[] = changes ? [OWN, { origin: APP }, {}] : [OWN, FORGERIES[0]?.headers ?? {}]
      for (const headers of passing) {
        send = asBrowser(headers)
        const res = await run()
        expect(res.status, JSON.stringify(headers)).toBeLessThan(500)
        expect(await refusedHere(res), JSON.stringify(headers)).toBe(false)
      }
    })
  }
})
