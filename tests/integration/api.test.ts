import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFetch, PASSWORD, seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import { newId } from '../../src/core/ids.ts'

let server: TestServer
let org: Org

beforeAll(async () => {
  server = await startServer({ loginLimits: { perAccountPerMinute: 5 } })
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())

const sessions = new Map<string, ReturnType<typeof cookieFetch>>()

/** A signed-in cookie jar, one login per account (the login rate limit is low here on purpose). */
async function signedIn(phone = org.memberA.phone) {
  const cached = sessions.get(phone)
  if (cached) return cached
  const f = await signIn(server, phone)
  sessions.set(phone, f)
  return f
}

interface BadCase {
  method: 'GET' | 'POST' | 'PUT'
  url: string
  body?: string
  /** The body's content type (JSON unless told). */
  type?: string
  auth?: boolean
  /** Signed in as the administrator instead of a member. */
  admin?: boolean
  status: number
  code: string
}

const UUID = '0193d3f0-0000-7000-8000-000000000000'

/** At least one bad input for every API route; a route missing here fails the suite. */
const BAD_INPUT: Record<string, BadCase[]> = {
  'GET /api/health': [],
  'GET /api/time': [],
  'GET /api/setup': [],
  'POST /api/setup': [
    { method: 'POST', url: '/api/setup', body: '{"orgName":"x"}', status: 400, code: 'validation' },
    { method: 'POST', url: '/api/setup', body: '{not json', status: 400, code: 'bad_request' },
    {
      method: 'POST',
      url: '/api/setup',
      body: JSON.stringify({ orgName: '又一个机关党委', adminName: '某人', phone: '13811112222', password: 'long-enough-pw' }),
      status: 409,
      code: 'already_set_up',
    },
  ],
  'POST /api/setup/demo': [{ method: 'POST', url: '/api/setup/demo', body: '{}', status: 409, code: 'already_set_up' }],
  'POST /api/auth/login': [
    { method: 'POST', url: '/api/auth/login', body: '{"phone":"123","password":"x"}', status: 400, code: 'validation' },
    { method: 'POST', url: '/api/auth/login', body: '[]', status: 400, code: 'validation' },
    {
      method: 'POST',
      url: '/api/auth/login',
      body: JSON.stringify({ phone: '13899999999', password: 'whatever-pw' }),
      status: 401,
      code: 'invalid_credentials',
    },
  ],
  'POST /api/auth/logout': [{ method: 'POST', url: '/api/auth/logout', body: '{bad', status: 400, code: 'bad_request' }],
  'GET /api/auth/me': [{ method: 'GET', url: '/api/auth/me', status: 401, code: 'unauthorized' }],
  'POST /api/sync/push': [
    { method: 'POST', url: '/api/sync/push', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/sync/push', body: '{}', auth: true, status: 400, code: 'validation' },
    {
      method: 'POST',
      url: '/api/sync/push',
      body: JSON.stringify({ clientId: newId(), mutations: 'x' }),
      auth: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/sync/push',
      auth: true,
      status: 400,
      code: 'validation',
      body: JSON.stringify({
        clientId: newId(),
        mutations: [{ id: newId(), table: 'branches', op: 'upsert', rowId: newId(), clientTime: '', v: 1 }],
      }),
    },
    {
      method: 'POST',
      url: '/api/sync/push',
      body: '"' + 'x'.repeat(3 * 1024 * 1024) + '"',
      auth: true,
      status: 413,
      code: 'payload_too_large',
    },
  ],
  'GET /api/me/calendar': [{ method: 'GET', url: '/api/me/calendar', status: 401, code: 'unauthorized' }],
  'POST /api/me/calendar': [
    { method: 'POST', url: '/api/me/calendar', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/calendar', body: '{oops', auth: true, status: 400, code: 'bad_request' },
  ],
  'POST /api/me/calendar/revoke': [{ method: 'POST', url: '/api/me/calendar/revoke', body: '{}', status: 401, code: 'unauthorized' }],
  'GET /api/push/key': [{ method: 'GET', url: '/api/push/key', status: 401, code: 'unauthorized' }],
  'GET /api/me/push': [{ method: 'GET', url: '/api/me/push', status: 401, code: 'unauthorized' }],
  'POST /api/me/push': [
    { method: 'POST', url: '/api/me/push', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/push', body: '{}', auth: true, status: 400, code: 'validation' },
    {
      method: 'POST',
      url: '/api/me/push',
      body: JSON.stringify({ endpoint: 'http://x.googleapis.com/a', keys: { p256dh: 'a', auth: 'b' } }),
      auth: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/me/push',
      body: JSON.stringify({ endpoint: 'https://evil.example/a', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } }),
      auth: true,
      status: 422,
      code: 'validation',
    },
  ],
  'POST /api/me/push/remove': [
    { method: 'POST', url: '/api/me/push/remove', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/push/remove', body: JSON.stringify({ endpoint: 5 }), auth: true, status: 400, code: 'validation' },
  ],
  'POST /api/me/push/test': [{ method: 'POST', url: '/api/me/push/test', body: '{}', status: 401, code: 'unauthorized' }],
  'GET /api/me/privacy': [{ method: 'GET', url: '/api/me/privacy', status: 401, code: 'unauthorized' }],
  'POST /api/me/privacy/accept': [
    { method: 'POST', url: '/api/me/privacy/accept', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/privacy/accept', body: '{"version":"1"}', auth: true, status: 400, code: 'validation' },
    { method: 'POST', url: '/api/me/privacy/accept', body: '{"version":1,"extra":1}', auth: true, status: 400, code: 'validation' },
    { method: 'POST', url: '/api/me/privacy/accept', body: '{"version":99}', auth: true, status: 409, code: 'conflict' },
  ],
  'POST /api/me/consents': [
    { method: 'POST', url: '/api/me/consents', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/consents', body: '{"kind":"camera","granted":true}', auth: true, status: 400, code: 'validation' },
    { method: 'POST', url: '/api/me/consents', body: '{"kind":"location"}', auth: true, status: 400, code: 'validation' },
  ],
  'GET /api/admin/people': [
    { method: 'GET', url: '/api/admin/people', status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/admin/people', auth: true, status: 403, code: 'forbidden' },
  ],
  'POST /api/admin/people': [
    { method: 'POST', url: '/api/admin/people', body: '{}', admin: true, status: 400, code: 'validation' },
    {
      method: 'POST',
      url: '/api/admin/people',
      body: JSON.stringify({ name: '甲', phone: '123', branchId: null }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/admin/people',
      body: JSON.stringify({ name: '甲', phone: '13312340000', branchId: null }),
      admin: true,
      status: 422,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/admin/people',
      body: JSON.stringify({ name: '甲', phone: '13312340000', branchId: newId() }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
    {
      method: 'POST',
      url: '/api/admin/people',
      body: JSON.stringify({
        name: '甲',
        phone: '13312340000',
        branchId: newId(),
        joinedPartyOn: '2020-01-01',
        fullMemberOn: '2019-01-01',
      }),
      admin: true,
      status: 422,
      code: 'validation',
    },
  ],
  'POST /api/admin/people/:id': [
    { method: 'POST', url: '/api/admin/people/not-an-id', body: '{}', admin: true, status: 400, code: 'validation' },
    { method: 'POST', url: `/api/admin/people/${newId()}`, body: '{}', admin: true, status: 404, code: 'not_found' },
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}`,
      body: JSON.stringify({ role: 'admin' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/admin/people/:id/role': [
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/role`,
      body: JSON.stringify({ role: 'root' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/role`,
      body: JSON.stringify({ role: 'member' }),
      auth: true,
      status: 403,
      code: 'forbidden',
    },
  ],
  'POST /api/admin/people/:id/move': [
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/move`,
      body: JSON.stringify({ branchId: 'x', date: '2026-13-01' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/admin/people/:id/remove': [
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/remove`,
      body: JSON.stringify({ reason: 'fired', date: '2026-11-28' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/admin/people/:id/activation': [
    { method: 'POST', url: `/api/admin/people/${newId()}/activation`, body: '{}', admin: true, status: 404, code: 'not_found' },
  ],
  'POST /api/admin/people/:id/sign-out': [
    { method: 'POST', url: '/api/admin/people/x/sign-out', body: '{}', admin: true, status: 400, code: 'validation' },
  ],
  'GET /api/admin/people/:id/events': [
    { method: 'GET', url: `/api/admin/people/${newId()}/events`, admin: true, status: 404, code: 'not_found' },
  ],
  'GET /api/admin/org': [{ method: 'GET', url: '/api/admin/org', auth: true, status: 403, code: 'forbidden' }],
  'GET /api/admin/onboarding': [
    { method: 'GET', url: '/api/admin/onboarding', status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/admin/onboarding', auth: true, status: 403, code: 'forbidden' },
  ],
  'POST /api/admin/activation/batch': [
    {
      method: 'POST',
      url: '/api/admin/activation/batch',
      body: JSON.stringify({ branchId: 'x' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/admin/activation/batch',
      body: JSON.stringify({ branchId: newId() }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
    { method: 'POST', url: '/api/admin/activation/batch', body: '{}', auth: true, status: 403, code: 'forbidden' },
  ],
  'POST /api/admin/branches': [
    { method: 'POST', url: '/api/admin/branches', body: JSON.stringify({ name: 'x' }), admin: true, status: 400, code: 'validation' },
  ],
  'POST /api/admin/branches/:id': [
    {
      method: 'POST',
      url: `/api/admin/branches/${newId()}`,
      body: JSON.stringify({ archived: 'yes' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/admin/branches/${newId()}`,
      body: JSON.stringify({ archived: true }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
  ],
  'POST /api/admin/groups': [
    {
      method: 'POST',
      url: '/api/admin/groups',
      body: JSON.stringify({ branchId: newId(), name: '第一小组' }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
  ],
  'POST /api/admin/groups/:id': [
    {
      method: 'POST',
      url: `/api/admin/groups/${newId()}`,
      body: JSON.stringify({ name: '新名称' }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
  ],
  'GET /api/admin/audit': [{ method: 'GET', url: '/api/admin/audit', auth: true, status: 403, code: 'forbidden' }],
  'GET /api/reminders/channels': [{ method: 'GET', url: '/api/reminders/channels', status: 401, code: 'unauthorized' }],
  'GET /api/admin/reminders/failures': [
    { method: 'GET', url: '/api/admin/reminders/failures', auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/admin/people/:id/wecom': [
    { method: 'GET', url: `/api/admin/people/${newId()}/wecom`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: '/api/admin/people/not-an-id/wecom', admin: true, status: 400, code: 'validation' },
  ],
  'POST /api/admin/people/:id/wecom': [
    { method: 'POST', url: `/api/admin/people/${newId()}/wecom`, body: '{}', admin: true, status: 400, code: 'validation' },
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/wecom`,
      body: JSON.stringify({ wecomUserId: 'zhang san<script>' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/admin/people/${newId()}/wecom`,
      body: JSON.stringify({ lookup: true }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
  ],
  'POST /api/admin/import/preview': [
    {
      method: 'POST',
      url: '/api/admin/import/preview',
      body: JSON.stringify({ fileName: 'a.exe', content: '' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/admin/import/preview',
      body: JSON.stringify({ fileName: 'a.xlsx', content: 'bm90IGEgemlw' }),
      admin: true,
      status: 422,
      code: 'validation',
    },
  ],
  'POST /api/admin/import/apply': [
    {
      method: 'POST',
      url: '/api/admin/import/apply',
      body: JSON.stringify({ fileName: 'a.csv', content: '!!' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/auth/activate': [
    {
      method: 'POST',
      url: '/api/auth/activate',
      body: JSON.stringify({ phone: '13800000001', code: '12', password: 'long-enough' }),
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/auth/activate',
      body: JSON.stringify({ phone: '13800000001', code: 'ABCDEFGH', password: 'long-enough' }),
      status: 401,
      code: 'activation_invalid',
    },
  ],
  'GET /api/me/sessions': [{ method: 'GET', url: '/api/me/sessions', status: 401, code: 'unauthorized' }],
  'POST /api/me/password': [
    {
      method: 'POST',
      url: '/api/me/password',
      body: JSON.stringify({ current: 'x', password: 'hongqi-2026' }),
      status: 401,
      code: 'unauthorized',
    },
    {
      method: 'POST',
      url: '/api/me/password',
      body: JSON.stringify({ current: 'x', password: 'short' }),
      auth: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/me/password',
      body: JSON.stringify({ password: 'hongqi-2026' }),
      auth: true,
      status: 400,
      code: 'validation',
    },
  ],
  'GET /api/me/two-factor': [
    { method: 'GET', url: '/api/me/two-factor', status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/me/two-factor', auth: true, status: 403, code: 'forbidden' },
  ],
  'POST /api/me/two-factor/start': [
    { method: 'POST', url: '/api/me/two-factor/start', body: '{bad', admin: true, status: 400, code: 'bad_request' },
  ],
  'POST /api/me/two-factor/confirm': [
    {
      method: 'POST',
      url: '/api/me/two-factor/confirm',
      body: JSON.stringify({ code: '1' }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    { method: 'POST', url: '/api/me/two-factor/confirm', body: JSON.stringify({}), admin: true, status: 400, code: 'validation' },
  ],
  'POST /api/me/two-factor/recovery-codes': [
    {
      method: 'POST',
      url: '/api/me/two-factor/recovery-codes',
      body: JSON.stringify({ code: 123456 }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/me/two-factor/recovery-codes',
      body: JSON.stringify({ code: '123456' }),
      admin: true,
      status: 400,
      code: 'two_factor_invalid',
    },
  ],
  'POST /api/me/two-factor/disable': [
    {
      method: 'POST',
      url: '/api/me/two-factor/disable',
      body: JSON.stringify({ code: 'x'.repeat(50) }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/auth/login/verify': [
    {
      method: 'POST',
      url: '/api/auth/login/verify',
      body: JSON.stringify({ ticket: 'short', code: '123456' }),
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/auth/login/verify',
      body: JSON.stringify({ ticket: 'x'.repeat(43), code: '123456' }),
      status: 401,
      code: 'two_factor_expired',
    },
  ],
  'POST /api/admin/people/:id/two-factor/reset': [
    { method: 'POST', url: '/api/admin/people/nope/two-factor/reset', body: '{}', admin: true, status: 400, code: 'validation' },
    { method: 'POST', url: `/api/admin/people/${newId()}/two-factor/reset`, body: '{}', admin: true, status: 404, code: 'not_found' },
  ],
  'GET /api/admin/compliance-sheet': [
    { method: 'GET', url: '/api/admin/compliance-sheet', status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/admin/compliance-sheet', auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/admin/audit/export': [
    { method: 'GET', url: '/api/admin/audit/export?from=2026-02-30&to=2026-03-01', admin: true, status: 400, code: 'validation' },
    {
      method: 'GET',
      url: '/api/admin/audit/export?from=2026-03-01&to=2026-03-01&format=pdf',
      admin: true,
      status: 400,
      code: 'validation',
    },
    { method: 'GET', url: '/api/admin/audit/export?from=2026-03-02&to=2026-03-01', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: '/api/admin/audit/export?to=2026-03-01', admin: true, status: 400, code: 'validation' },
  ],
  'POST /api/me/sessions/:id/revoke': [
    { method: 'POST', url: '/api/me/sessions/nope/revoke', body: '{}', auth: true, status: 400, code: 'validation' },
  ],
  'POST /api/me/sessions/revoke-others': [
    { method: 'POST', url: '/api/me/sessions/revoke-others', body: '{}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/me/sessions/revoke-others', body: '{bad', auth: true, status: 400, code: 'bad_request' },
  ],
  'GET /api/me/export': [{ method: 'GET', url: '/api/me/export', status: 401, code: 'unauthorized' }],
  'GET /api/me/export.xlsx': [{ method: 'GET', url: '/api/me/export.xlsx', status: 401, code: 'unauthorized' }],
  'GET /api/meetings/:file': [
    { method: 'GET', url: '/api/meetings/x.ics', auth: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/meetings/${newId()}.ics`, auth: true, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/meetings/${newId()}.ics`, status: 401, code: 'unauthorized' },
  ],
  'GET /api/ledger/:scope/:file': [
    { method: 'GET', url: '/api/ledger/nope/2026.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: '/api/ledger/leadership/26.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/ledger/${newId()}/2026.xlsx`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: '/api/ledger/leadership/2026.xlsx', auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/org/rules': [{ method: 'GET', url: '/api/org/rules', status: 401, code: 'unauthorized' }],
  'POST /api/admin/rules': [
    {
      method: 'POST',
      url: '/api/admin/rules',
      body: JSON.stringify({ rules: [{ type: 'x', period: 'month', times: 1 }] }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    { method: 'POST', url: '/api/admin/rules', body: JSON.stringify({ rules: null }), auth: true, status: 403, code: 'forbidden' },
  ],
  'PUT /api/photos/:id': [
    {
      method: 'PUT',
      url: `/api/photos/${newId()}?visit=${newId()}&offset=0&total=10`,
      body: '{}',
      auth: true,
      status: 415,
      code: 'bad_request',
    },
    {
      method: 'PUT',
      url: `/api/photos/${newId()}?visit=x&offset=0&total=10`,
      body: '{}',
      type: 'application/octet-stream',
      auth: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'PUT',
      url: `/api/photos/${newId()}?visit=${newId()}&offset=0&total=10`,
      body: '{}',
      type: 'application/octet-stream',
      status: 401,
      code: 'unauthorized',
    },
  ],
  'GET /api/photos/:id/status': [{ method: 'GET', url: '/api/photos/x/status', auth: true, status: 400, code: 'validation' }],
  'GET /api/photos/:id': [
    { method: 'GET', url: `/api/photos/${newId()}`, auth: true, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/photos/${newId()}`, status: 401, code: 'unauthorized' },
  ],
  'POST /api/dues/collector/:id': [
    { method: 'POST', url: `/api/dues/collector/${newId()}`, body: '{"memberId":"x"}', admin: true, status: 400, code: 'validation' },
    {
      method: 'POST',
      url: `/api/dues/collector/${newId()}`,
      body: '{"memberId":null,"extra":1}',
      admin: true,
      status: 400,
      code: 'validation',
    },
    { method: 'POST', url: `/api/dues/collector/${newId()}`, body: '{"memberId":null}', admin: true, status: 404, code: 'not_found' },
    { method: 'POST', url: `/api/dues/collector/${newId()}`, body: '{"memberId":null}', auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/dues-ledger/:scope/:file': [
    { method: 'GET', url: '/api/dues-ledger/leadership/2026.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/dues-ledger/${newId()}/26.xlsx`, admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/dues-ledger/${newId()}/2026.xlsx`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/dues-ledger/${newId()}/2026.xlsx`, auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/visits-ledger/:scope/:file': [
    { method: 'GET', url: '/api/visits-ledger/leadership/2026.xlsx', admin: true, status: 403, code: 'forbidden' },
    { method: 'GET', url: '/api/visits-ledger/x/2026.xlsx', admin: true, status: 400, code: 'validation' },
  ],
  'GET /api/study-ledger/:scope/:file': [
    { method: 'GET', url: '/api/study-ledger/leadership/2026.xlsx', admin: true, status: 403, code: 'forbidden' },
    { method: 'GET', url: '/api/study-ledger/x/2026.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/study-ledger/${newId()}/2026.xlsx`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/study-ledger/${newId()}/2026.xlsx`, auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/year-report/:scope/:year': [
    { method: 'GET', url: '/api/year-report/x/2026', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/year-report/${newId()}/26`, admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/year-report/${newId()}/1999`, admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/year-report/${newId()}/2026`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: '/api/year-report/org/2026', auth: true, status: 403, code: 'forbidden' },
    { method: 'GET', url: '/api/year-report/org/2026', status: 401, code: 'unauthorized' },
  ],
  'GET /api/year-report-xlsx/:scope/:file': [
    { method: 'GET', url: '/api/year-report-xlsx/org/2026.csv', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: '/api/year-report-xlsx/org/1999.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/year-report-xlsx/${newId()}/2026.xlsx`, auth: true, status: 403, code: 'forbidden' },
  ],
  'GET /api/org/training': [{ method: 'GET', url: '/api/org/training', status: 401, code: 'unauthorized' }],
  'POST /api/admin/training': [
    {
      method: 'POST',
      url: '/api/admin/training',
      body: JSON.stringify({ settings: { types: ['party_lesson'], minutesPerHour: 50 } }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: '/api/admin/training',
      body: JSON.stringify({ settings: { types: ['x'], minutesPerHour: 45 } }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'POST /api/training/flags/:id': [
    {
      method: 'POST',
      url: `/api/training/flags/${newId()}`,
      body: JSON.stringify({ cadre: true }),
      admin: true,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/training/flags/${newId()}`,
      body: JSON.stringify({ cadre: true, exempt: false }),
      admin: true,
      status: 404,
      code: 'not_found',
    },
    {
      method: 'POST',
      url: '/api/training/flags/x',
      body: JSON.stringify({ cadre: true, exempt: false }),
      admin: true,
      status: 400,
      code: 'validation',
    },
  ],
  'GET /api/training-ledger/:scope/:file': [
    { method: 'GET', url: '/api/training-ledger/leadership/2026.xlsx', admin: true, status: 403, code: 'forbidden' },
    { method: 'GET', url: '/api/training-ledger/x/2026.xlsx', admin: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/training-ledger/${newId()}/2026.xlsx`, admin: true, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/training-ledger/${newId()}/1999.xlsx`, admin: true, status: 400, code: 'validation' },
  ],
  'GET /api/calendar/:file': [
    { method: 'GET', url: '/api/calendar/not-a-token.ics', status: 400, code: 'validation' },
    { method: 'GET', url: `/api/calendar/${'A'.repeat(43)}.ics`, status: 404, code: 'not_found' },
    { method: 'GET', url: `/api/calendar/${"'OR'1'='1".padEnd(43, 'x')}.ics`, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/calendar/${'x'.repeat(5000)}.ics`, status: 414, code: 'bad_request' },
  ],
  'POST /api/review/cycles/:id/ballot': [
    { method: 'POST', url: `/api/review/cycles/${UUID}/ballot`, body: '{"grades":{}}', status: 401, code: 'unauthorized' },
    { method: 'POST', url: '/api/review/cycles/x/ballot', auth: true, body: '{"grades":{}}', status: 400, code: 'validation' },
    {
      method: 'POST',
      url: `/api/review/cycles/${UUID}/ballot`,
      auth: true,
      body: `{"grades":{"${UUID}":"best"}}`,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/review/cycles/${UUID}/ballot`,
      auth: true,
      body: '{"grades":{"x":"excellent"}}',
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/review/cycles/${UUID}/ballot`,
      auth: true,
      body: '{"grades":{},"voter":"me"}',
      status: 400,
      code: 'validation',
    },
    { method: 'POST', url: `/api/review/cycles/${UUID}/ballot`, auth: true, body: '{"grades":{}}', status: 404, code: 'not_found' },
  ],
  'GET /api/review/cycles/:id/my-ballot': [
    { method: 'GET', url: `/api/review/cycles/${UUID}/my-ballot`, status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/review/cycles/x/my-ballot', auth: true, status: 400, code: 'validation' },
  ],
  'GET /api/review/cycles/:id/turnout': [
    { method: 'GET', url: '/api/review/cycles/x/turnout', auth: true, status: 400, code: 'validation' },
  ],
  'GET /api/review/cycles/:id/tally': [
    { method: 'GET', url: '/api/review/cycles/x/tally', auth: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/review/cycles/${UUID}/tally`, auth: true, status: 404, code: 'not_found' },
  ],
  'POST /api/review/cycles/:id/paper-tallies': [
    {
      method: 'POST',
      url: `/api/review/cycles/${UUID}/paper-tallies`,
      auth: true,
      body: `{"id":"${UUID}","ballots":0,"counts":{}}`,
      status: 400,
      code: 'validation',
    },
    {
      method: 'POST',
      url: `/api/review/cycles/${UUID}/paper-tallies`,
      auth: true,
      body: `{"id":"${UUID}","ballots":3,"counts":{"${UUID}":{"excellent":-1,"qualified":0,"basic":0,"unqualified":0}}}`,
      status: 400,
      code: 'validation',
    },
  ],
  'GET /api/sync/pull': [
    { method: 'GET', url: '/api/sync/pull', status: 401, code: 'unauthorized' },
    { method: 'GET', url: '/api/sync/pull?limit=abc', auth: true, status: 400, code: 'validation' },
    { method: 'GET', url: '/api/sync/pull?limit=999999', auth: true, status: 400, code: 'validation' },
    { method: 'GET', url: `/api/sync/pull?cursor=${'z'.repeat(200)}`, auth: true, status: 400, code: 'validation' },
  ],
}

describe('API', () => {
  it('every API route has bad-input cases listed', () => {
    const registered = server.app.apiRoutes.filter((r) => r.includes(' /api/'))
    expect([...new Set(registered)].sort()).toEqual(Object.keys(BAD_INPUT).sort())
  })

  for (const [route, cases] of Object.entries(BAD_INPUT)) {
    for (const c of cases) {
      it(`${route}: ${c.body?.slice(0, 40) ?? c.url} → ${c.status} ${c.code}`, async () => {
        const f = c.admin ? await signedIn(org.admin.phone) : c.auth ? await signedIn() : cookieFetch()
        const res = await f(server.url + c.url, {
          method: c.method,
          headers: c.body !== undefined ? { 'content-type': c.type ?? 'application/json' } : {},
          body: c.body,
        })
        expect(res.status).toBe(c.status)
        const body = (await res.json()) as { error: { code: string; message: string } }
        expect(body.error.code).toBe(c.code)
        expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
        // A field is named in Chinese, never by its schema key ("orgName：…").
        expect(body.error.message).not.toMatch(/[A-Za-z]\w*：/)
        expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/)
      })
    }
  }

  it('refuses a NUL character anywhere in the input as bad input (PostgreSQL cannot store one)', async () => {
    const f = await signedIn(org.admin.phone)
    const res = await f(`${server.url}/api/admin/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '张\u0000三', phone: '13322223333', branchId: org.branchA }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('内容包含不允许的控制字符')
    expect((await f(`${server.url}/api/sync/pull?cursor=%00`)).status).toBe(400)
  })

  it('refuses text that is not well-formed Unicode (a lone surrogate) anywhere in the input, however deep, as bad input', async () => {
    const f = await signedIn()
    const push = (fields: Record<string, unknown>) =>
      f(`${server.url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: newId(),
          mutations: [
            {
              id: newId(),
              table: 'study_records',
              op: 'upsert',
              rowId: newId(),
              fields,
              base: {},
              clientTime: new Date().toISOString(),
              v: 1,
            },
          ],
        }),
      })
    const study = {
      kind: 'self_study',
      title: '学习',
      date: '2026-11-20',
      minutes: 30,
      notes: '',
      sourceUrl: '',
      createdAt: new Date().toISOString(),
    }
    const deep = (leaf: unknown, depth: number): unknown => (depth === 0 ? leaf : [deep(leaf, depth - 1)])
    const before = await server.handle.db.selectFrom('study_records').select('id').execute()
    // JSON.parse turns the "\ud800" escape JSON.stringify writes into a lone surrogate.
    for (const fields of [
      { ...study, title: '学习\ud800' },
      { ...study, notes: '\udfff心得' },
      { ...study, ['\ud83d']: 1 },
      { ...study, extra: deep('\udc00', 200) },
      { ...study, extra: deep('\u0000', 200) },
    ]) {
      const res = await push(fields)
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('validation')
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(await server.handle.db.selectFrom('study_records').select('id').execute()).toHaveLength(before.length)
    const admin = await signedIn(org.admin.phone)
    const person = await admin(`${server.url}/api/admin/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '张\ud800三', phone: '13322224444', branchId: org.branchA }),
    })
    expect(person.status).toBe(400)
    // Paired surrogates (emoji, CJK extension B) are well-formed and kept as written.
    const ok = await push({ ...study, title: '学习😀𠀀' })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied')
  })

  it('unknown API routes answer a JSON 404', async () => {
    const res = await fetch(`${server.url}/api/nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: '请求的内容不存在' } })
  })

  it('sends strict security headers and no X-Powered-By', async () => {
    const res = await fetch(`${server.url}/api/health`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('health answers 200 JSON', async () => {
    const res = await fetch(`${server.url}/api/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', database: process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite' })
  })

  it('tells its clock to the millisecond, never cached (the organiser’s phone corrects its own with it)', async () => {
    const before = Date.now()
    const res = await fetch(`${server.url}/api/time`)
    const after = Date.now()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { now } = (await res.json()) as { now: number }
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(after)
  })
})

describe('accounts', () => {
  it('sets an HttpOnly, SameSite session cookie holding an opaque token that is stored only hashed', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: org.memberA2.phone, password: PASSWORD }),
    })
    const cookie = res.headers.getSetCookie()[0] ?? ''
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const token = /sx_session=([^;]+)/.exec(cookie)?.[1] ?? ''
    expect(token.length).toBeGreaterThanOrEqual(40)
    const stored = await server.handle.db.selectFrom('sessions').select('token_hash').execute()
    expect(stored.some((s) => s.token_hash === token)).toBe(false)
  })

  it('stores passwords hashed with scrypt', async () => {
    const row = await server.handle.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', org.memberA.id)
      .executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^scrypt\$/)
    expect(row.password_hash).not.toContain(PASSWORD)
  })

  it('logout revokes the session on the server', async () => {
    const f = await signIn(server, org.memberA2.phone)
    expect((await f(`${server.url}/api/auth/me`)).status).toBe(200)
    expect(
      (await f(`${server.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    ).toBe(200)
    expect((await f(`${server.url}/api/auth/me`)).status).toBe(401)
  })

  it('wrong password and unknown account get the same answer, and login is rate-limited', async () => {
    const attempt = (phone: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, password: 'wrong-password' }),
      })
    const known = (await (await attempt(org.memberB.phone)).json()) as unknown
    const unknown = (await (await attempt('13812345678')).json()) as unknown
    expect(known).toEqual(unknown)
    let last = 0
    for (let i = 0; i < 6; i++) last = (await attempt(org.memberB.phone)).status
    expect(last).toBe(429)
    // Another account from the same address is not locked out by it.
    expect((await attempt(org.secretaryA.phone)).status).toBe(401)
  })

  it('a member gets their own profile', async () => {
    const f = await signedIn(org.secretaryA.phone)
    const body = (await (await f(`${server.url}/api/auth/me`)).json()) as { user: { name: string; role: string; branchName: string } }
    expect(body.user).toMatchObject({ name: '王书记', role: 'secretary', branchName: '第一党支部' })
  })
})

describe('calendar feed', () => {
  it("serves the member's political birthday by secret URL; a new URL ends the old one; revoking ends it", async () => {
    const f = await signedIn(org.memberA.phone)
    const post = (path: string) => f(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    await server.handle.db
      .updateTable('users')
      .set({ joined_party_on: '2006-07-01', full_member_on: '2007-07-01' })
      .where('id', '=', org.memberA.id)
      .execute()
    const first = ((await (await post('/api/me/calendar')).json()) as { path: string }).path
    const feed = await fetch(server.url + first)
    expect(feed.status).toBe(200)
    expect(feed.headers.get('content-type')).toContain('text/calendar')
    expect(await feed.text()).toContain('RRULE:FREQ=YEARLY')
    expect(((await (await f(`${server.url}/api/me/calendar`)).json()) as { active: boolean }).active).toBe(true)

    const second = ((await (await post('/api/me/calendar')).json()) as { path: string }).path
    expect((await fetch(server.url + first)).status).toBe(404)
    expect((await fetch(server.url + second)).status).toBe(200)
    await post('/api/me/calendar/revoke')
    const gone = await fetch(server.url + second)
    expect(gone.status).toBe(404)
    expect(((await gone.json()) as { error: { message: string } }).error.message).toContain('订阅链接已失效')
  })
})
