import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sql } from 'kysely'
import { PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { newId } from '../../src/core/ids.ts'
import { createUser } from '../../src/server/repositories/organization.ts'
import { openBallotBox } from '../../src/server/repositories/review-ballots.ts'

/**
 * Property-based fuzzing of every route with valid, invalid and hostile input: never a 5xx,
 * never a stack trace, always the error shape on refusal, and a refused request changes nothing.
 * FUZZ_RUNS raises the number of cases (npm run soak).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60)

let server: TestServer
let org: Org
let cookie = ''
let adminCookie = ''
let targetId = ''
/** A review cycle of member A's branch with its ballot open (no meeting named: every ballot reaches the sign-in check). */
let cycleId = ''

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: org.memberA.phone, password: PASSWORD } })
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? ''
  const adminRes = await server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone: org.admin.phone, password: PASSWORD },
  })
  adminCookie = String(adminRes.headers['set-cookie']).split(';')[0] ?? ''
  targetId = await createUser(server.handle.db, {
    orgId: org.orgId,
    branchId: org.branchA,
    name: '模糊测试对象',
    phone: '13311112222',
    role: 'member',
    passwordHash: 'x',
  })
  cycleId = newId()
  const now = new Date().toISOString()
  const subjects = [org.memberA.id, org.memberA2.id, org.secretaryA.id].sort()
  await server.handle.db
    .insertInto('review_cycles')
    .values({
      id: cycleId,
      org_id: org.orgId,
      branch_id: org.branchA,
      year: 2026,
      opens_on: '2026-11-01',
      life_meeting_on: null,
      assessment_on: null,
      prompt: '',
      meeting_id: null,
      ballot: 'open',
      subject_ids: JSON.stringify(subjects),
      closed_at: null,
      created_at: now,
      updated_at: now,
      seq: 0,
    })
    .execute()
  await openBallotBox(server.handle.db, org.orgId, cycleId, subjects)
})
afterAll(() => server.close())

const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\ud800',
  '\u202e',
  '𠀀𪚥😀'.repeat(500),
  'x'.repeat(70_000),
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e309',
]
const hostile = fc.constantFrom(...HOSTILE)
/** Text that is not well-formed Unicode: lone surrogates (high, low, a pair cut in half) among ordinary characters. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const brokenText = fc.oneof(
  fc.constantFrom('\ud800', '\udfff', '学习\ud83d', '\ude00心得', '\udc00\ud800'),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 20 }),
)
const scalar = fc.oneof(
  { weight: 4, arbitrary: hostile },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: brokenText },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
)
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
)
const uuidish = fc.oneof(fc.constant(newId()), fc.uuid(), hostile, fc.string({ maxLength: 40 }))

const studyFields = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('self_study', 'party_lesson', 'x'), value),
    title: fc.oneof(fc.string({ maxLength: 60 }), value),
    date: fc.oneof(fc.constantFrom('2026-11-20', '2026-02-30', '1900-01-01'), value),
    minutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), value),
    notes: fc.oneof(fc.string(), value),
    sourceUrl: fc.oneof(fc.constantFrom('', 'https://example.org', 'javascript:alert(1)'), value),
    createdAt: fc.oneof(fc.constant(new Date().toISOString()), value),
    extra: value,
  },
  { requiredKeys: [] },
)
const mutation = fc.record(
  {
    id: uuidish,
    table: fc.oneof(fc.constantFrom('study_records', 'users', 'mutations'), value),
    op: fc.oneof(fc.constantFrom('upsert', 'delete'), value),
    rowId: uuidish,
    fields: fc.oneof(studyFields, value),
    base: fc.oneof(fc.record({ notes: value }), value),
    clientTime: fc.oneof(fc.string({ maxLength: 30 }), value),
    v: fc.oneof(fc.constantFrom(1, 0, 2, 99), value),
  },
  { requiredKeys: [] },
)

/** A JSON body: mostly route-shaped, sometimes anything, sometimes not JSON at all. */
const bodyFor = (shape: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: shape.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '[[[',
        '"\\u',
        '',
        'null',
        '['.repeat(3000) + ']'.repeat(3000),
        '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  )

const personField = fc.record(
  {
    name: value,
    phone: fc.oneof(fc.constant('13312345678'), value),
    branchId: fc.oneof(fc.constant(newId()), value),
    groupId: value,
    role: fc.oneof(fc.constantFrom('member', 'admin', 'root'), value),
    status: value,
    joinedPartyOn: value,
    fullMemberOn: value,
    note: value,
    leadership: value,
    date: value,
    reason: fc.oneof(fc.constantFrom('left', 'x'), value),
    kind: value,
  },
  { requiredKeys: [] },
)
/** A person route: a made-up id, a hostile one, or the real person set aside for fuzzing. */
const personUrl = (suffix: string) =>
  fc
    .oneof(
      uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => encodeURIComponent(id)),
      fc.constant('TARGET'),
    )
    .map((id) => `/api/admin/people/${id}${suffix}`)
const rosterBody = fc.record(
  {
    fileName: fc.oneof(fc.constantFrom('a.csv', 'a.xlsx', 'a.exe'), value),
    content: fc.oneof(
      fc.string({ maxLength: 200 }).map((t) => Buffer.from(t).toString('base64')),
      fc.constant(Buffer.from('姓名,手机号\n甲,1\n').toString('base64')),
      value,
    ),
  },
  { requiredKeys: [] },
)

/** A review cycle's route: a made-up id, a hostile one, or the real open cycle. */
const reviewUrl = (suffix: string) =>
  fc
    .oneof(
      uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => encodeURIComponent(id)),
      fc.constant('CYCLE'),
    )
    .map((id) => `/api/review/cycles/${id}${suffix}`)

/** `as: 'admin'` fuzzes with an administrator's session (otherwise a member's). */
const ROUTES: Record<
  string,
  { method: 'GET' | 'POST' | 'PUT'; url: fc.Arbitrary<string>; body?: fc.Arbitrary<string>; as?: 'admin'; type?: string }
> = {
  'PUT /api/photos/:id': {
    method: 'PUT',
    url: fc
      .tuple(uuidish, uuidish, fc.oneof(fc.integer({ min: -1, max: 1e7 }), hostile), fc.oneof(fc.integer({ min: -1, max: 1e8 }), hostile))
      .filter((parts) => !/[\ud800-\udfff]/.test(parts.join('')))
      .map(
        ([id, visit, offset, total]) =>
          `/api/photos/${encodeURIComponent(String(id))}?visit=${encodeURIComponent(String(visit))}&offset=${encodeURIComponent(String(offset))}&total=${encodeURIComponent(String(total))}`,
      ),
    body: bodyFor(value),
    type: 'application/octet-stream',
  },
  'GET /api/photos/:id/status': {
    method: 'GET',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/photos/${encodeURIComponent(id)}/status`),
  },
  'GET /api/photos/:id': {
    method: 'GET',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/photos/${encodeURIComponent(id)}`),
  },
  'GET /api/visits-ledger/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('leadership')), fc.oneof(fc.constantFrom('2026', '1999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/visits-ledger/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
    as: 'admin',
  },
  'GET /api/study-ledger/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('leadership')), fc.oneof(fc.constantFrom('2026', '1999', '9999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/study-ledger/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
    as: 'admin',
  },
  'GET /api/admin/people': { method: 'GET', url: fc.constant('/api/admin/people'), as: 'admin' },
  'POST /api/admin/people': { method: 'POST', url: fc.constant('/api/admin/people'), body: bodyFor(personField), as: 'admin' },
  'POST /api/admin/people/:id': { method: 'POST', url: personUrl(''), body: bodyFor(personField), as: 'admin' },
  'POST /api/admin/people/:id/role': { method: 'POST', url: personUrl('/role'), body: bodyFor(personField), as: 'admin' },
  'POST /api/admin/people/:id/move': { method: 'POST', url: personUrl('/move'), body: bodyFor(personField), as: 'admin' },
  'POST /api/admin/people/:id/remove': { method: 'POST', url: personUrl('/remove'), body: bodyFor(personField), as: 'admin' },
  'POST /api/admin/people/:id/activation': { method: 'POST', url: personUrl('/activation'), body: bodyFor(value), as: 'admin' },
  'POST /api/admin/people/:id/sign-out': { method: 'POST', url: personUrl('/sign-out'), body: bodyFor(value), as: 'admin' },
  'GET /api/admin/people/:id/events': { method: 'GET', url: personUrl('/events'), as: 'admin' },
  'GET /api/admin/org': { method: 'GET', url: fc.constant('/api/admin/org'), as: 'admin' },
  'GET /api/admin/onboarding': { method: 'GET', url: fc.constant('/api/admin/onboarding'), as: 'admin' },
  'POST /api/admin/activation/batch': {
    method: 'POST',
    url: fc.constant('/api/admin/activation/batch'),
    body: bodyFor(fc.record({ branchId: fc.oneof(uuidish, value) }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/admin/branches': {
    method: 'POST',
    url: fc.constant('/api/admin/branches'),
    body: bodyFor(fc.record({ name: value }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/admin/branches/:id': {
    method: 'POST',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/admin/branches/${encodeURIComponent(id)}`),
    body: bodyFor(fc.record({ name: value, archived: value }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/admin/groups': {
    method: 'POST',
    url: fc.constant('/api/admin/groups'),
    body: bodyFor(fc.record({ branchId: fc.oneof(uuidish, value), name: value }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/admin/groups/:id': {
    method: 'POST',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/admin/groups/${encodeURIComponent(id)}`),
    body: bodyFor(fc.record({ name: value, archived: value }, { requiredKeys: [] })),
    as: 'admin',
  },
  'GET /api/admin/audit': {
    method: 'GET',
    url: fc
      .oneof(fc.string({ maxLength: 60 }), hostile)
      .filter((t) => !/[\ud800-\udfff]/.test(t))
      .map((t) => `/api/admin/audit?before=${encodeURIComponent(t)}`),
    as: 'admin',
  },
  'POST /api/admin/import/preview': {
    method: 'POST',
    url: fc.constant('/api/admin/import/preview'),
    body: bodyFor(rosterBody),
    as: 'admin',
  },
  'POST /api/admin/import/apply': { method: 'POST', url: fc.constant('/api/admin/import/apply'), body: bodyFor(rosterBody), as: 'admin' },
  'POST /api/auth/activate': {
    method: 'POST',
    url: fc.constant('/api/auth/activate'),
    body: bodyFor(
      fc.record(
        { phone: fc.oneof(fc.constant('13800000004'), value), code: fc.oneof(fc.constant('ABCDEFGH'), value), password: value },
        { requiredKeys: [] },
      ),
    ),
  },
  'GET /api/meetings/:file': {
    method: 'GET',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/meetings/${encodeURIComponent(id)}.ics`),
  },
  'GET /api/ledger/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('leadership')), fc.oneof(fc.constantFrom('2026', '1999', '9999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/ledger/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
    as: 'admin',
  },
  'GET /api/org/rules': { method: 'GET', url: fc.constant('/api/org/rules') },
  'POST /api/admin/rules': {
    method: 'POST',
    url: fc.constant('/api/admin/rules'),
    body: bodyFor(
      fc.record(
        {
          rules: fc.oneof(
            fc.constant(null),
            fc.array(
              fc.record({
                type: fc.oneof(fc.constantFrom('branch_committee', 'x'), value),
                period: fc.oneof(fc.constantFrom('month', 'week'), value),
                times: fc.oneof(fc.integer({ min: -2, max: 20 }), value),
              }),
              { maxLength: 3 },
            ),
            value,
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    as: 'admin',
  },
  'GET /api/me/sessions': { method: 'GET', url: fc.constant('/api/me/sessions') },
  'POST /api/me/sessions/:id/revoke': {
    method: 'POST',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/me/sessions/${encodeURIComponent(id)}/revoke`),
    body: bodyFor(value),
  },
  'POST /api/me/sessions/revoke-others': { method: 'POST', url: fc.constant('/api/me/sessions/revoke-others'), body: bodyFor(value) },
  'GET /api/me/export': { method: 'GET', url: fc.constant('/api/me/export') },
  'GET /api/me/export.xlsx': { method: 'GET', url: fc.constant('/api/me/export.xlsx') },
  'GET /api/health': { method: 'GET', url: fc.constant('/api/health') },
  'GET /api/time': { method: 'GET', url: fc.constant('/api/time') },
  'GET /api/setup': { method: 'GET', url: fc.constant('/api/setup') },
  'POST /api/setup': {
    method: 'POST',
    url: fc.constant('/api/setup'),
    body: bodyFor(
      fc.record(
        { orgName: value, adminName: value, phone: fc.oneof(fc.constant('13812345678'), value), password: value },
        { requiredKeys: [] },
      ),
    ),
  },
  'POST /api/setup/demo': { method: 'POST', url: fc.constant('/api/setup/demo'), body: bodyFor(value) },
  'POST /api/auth/login': {
    method: 'POST',
    url: fc.constant('/api/auth/login'),
    body: bodyFor(fc.record({ phone: fc.oneof(fc.constant('13800000004'), value), password: value }, { requiredKeys: [] })),
  },
  'POST /api/auth/logout': { method: 'POST', url: fc.constant('/api/auth/logout'), body: bodyFor(value) },
  'GET /api/auth/me': { method: 'GET', url: fc.constant('/api/auth/me') },
  'POST /api/sync/push': {
    method: 'POST',
    url: fc.constant('/api/sync/push'),
    body: bodyFor(fc.record({ clientId: uuidish, mutations: fc.oneof(fc.array(mutation, { maxLength: 4 }), value) }, { requiredKeys: [] })),
  },
  'GET /api/me/calendar': { method: 'GET', url: fc.constant('/api/me/calendar') },
  'POST /api/me/calendar': { method: 'POST', url: fc.constant('/api/me/calendar'), body: bodyFor(value) },
  'POST /api/me/calendar/revoke': { method: 'POST', url: fc.constant('/api/me/calendar/revoke'), body: bodyFor(value) },
  'GET /api/push/key': { method: 'GET', url: fc.constant('/api/push/key') },
  'GET /api/me/push': { method: 'GET', url: fc.constant('/api/me/push') },
  'POST /api/me/push': { method: 'POST', url: fc.constant('/api/me/push'), body: bodyFor(value) },
  'POST /api/me/push/remove': { method: 'POST', url: fc.constant('/api/me/push/remove'), body: bodyFor(value) },
  'POST /api/me/push/test': { method: 'POST', url: fc.constant('/api/me/push/test'), body: bodyFor(value) },
  'GET /api/calendar/:file': {
    method: 'GET',
    url: fc
      .oneof(fc.string({ maxLength: 80 }), hostile, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/))
      .filter((t) => !/[\ud800-\udfff]/.test(t)) // a lone surrogate cannot be put in a URL at all
      .map((t) => `/api/calendar/${encodeURIComponent(t)}.ics`),
  },
  'POST /api/review/cycles/:id/ballot': {
    method: 'POST',
    url: reviewUrl('/ballot'),
    body: bodyFor(
      fc.record(
        { grades: fc.oneof(fc.dictionary(uuidish, fc.oneof(fc.constantFrom('excellent', 'qualified', 'x'), value)), value) },
        { requiredKeys: [] },
      ),
    ),
  },
  'GET /api/review/cycles/:id/my-ballot': { method: 'GET', url: reviewUrl('/my-ballot') },
  'GET /api/review/cycles/:id/turnout': { method: 'GET', url: reviewUrl('/turnout') },
  'GET /api/review/cycles/:id/tally': { method: 'GET', url: reviewUrl('/tally') },
  'POST /api/review/cycles/:id/paper-tallies': {
    method: 'POST',
    url: reviewUrl('/paper-tallies'),
    body: bodyFor(
      fc.record(
        {
          id: uuidish,
          ballots: fc.oneof(fc.integer({ min: -2, max: 2000 }), value),
          counts: fc.oneof(fc.dictionary(uuidish, value), value),
        },
        { requiredKeys: [] },
      ),
    ),
    as: 'admin',
  },
  'GET /api/sync/pull': {
    method: 'GET',
    url: fc
      .record(
        { cursor: fc.oneof(fc.string({ maxLength: 120 }), hostile), limit: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), hostile) },
        { requiredKeys: [] },
      )
      .map((q) => `/api/sync/pull?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`),
  },
}

/** Does this JSON body, once parsed as the server parses it, hold a NUL or a lone surrogate in any key or value? */
function malformedText(body: string | undefined): boolean {
  if (body === undefined) return false
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return false
  }
  const bad = (t: string) => t.includes('\u0000') || /\p{Cs}/u.test(t)
  const pending: unknown[] = [parsed]
  while (pending.length > 0) {
    const v = pending.pop()
    if (typeof v === 'string' && bad(v)) return true
    if (v === null || typeof v !== 'object') continue
    for (const [k, x] of Object.entries(v)) {
      if (bad(k)) return true
      pending.push(x)
    }
  }
  return false
}

async function fingerprint(): Promise<string> {
  const db = server.handle.db
  const counts = await Promise.all(
    (
      [
        'users',
        'sessions',
        'study_records',
        'mutations',
        'branches',
        'organizations',
        'audit_log',
        'party_groups',
        'activation_codes',
        'membership_events',
        'meetings',
        'attendance',
        'makeups',
        'households',
        'visits',
        'followups',
        'photos',
        'review_cycles',
        'review_papers',
        'review_grades',
        'review_voters',
        'review_counts',
        'review_paper_tallies',
      ] as const
    ).map((t) =>
      db
        .selectFrom(t)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow(),
    ),
  )
  const seq = await db.selectFrom('counters').select('value').executeTakeFirstOrThrow()
  return JSON.stringify([counts.map((c) => Number(c.n)), Number(seq.value)])
}

describe('fuzzing every route', () => {
  it('covers every registered API route', () => {
    expect([...new Set(server.app.apiRoutes.filter((r) => r.includes(' /api/')))].sort()).toEqual(Object.keys(ROUTES).sort())
  })

  for (const [name, route] of Object.entries(ROUTES)) {
    it(`${name}: no 5xx, no stack trace, the error shape, and a refusal changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(route.url, route.body ?? fc.constant(undefined), fc.boolean(), async (url, body, authed) => {
          // Logout would end the shared session; it is fuzzed without it.
          const withCookie = authed && name !== 'POST /api/auth/logout'
          const before = await fingerprint()
          const res = await server.app.inject({
            method: route.method,
            url: url.replace('TARGET', targetId).replace('CYCLE', cycleId),
            headers: {
              ...(withCookie ? { cookie: route.as === 'admin' ? adminCookie : cookie } : {}),
              ...(body !== undefined ? { 'content-type': route.type ?? 'application/json' } : {}),
            },
            payload: body,
          })
          expect(res.statusCode).toBeLessThan(500)
          expect(res.body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/)
          // Text that is not well-formed Unicode (or holds a NUL) is never accepted, whatever the route (binary bodies are bytes).
          if (res.statusCode < 400 && !route.type) expect(malformedText(body)).toBe(false)
          if (res.statusCode >= 400) {
            const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }
            expect(typeof parsed.error?.code).toBe('string')
            expect(typeof parsed.error?.message).toBe('string')
            // A refused login is not a write (attempt counters have tables of their own, not counted here).
            expect(await fingerprint()).toBe(before)
          }
        }),
        { numRuns: RUNS },
      )
    })
  }
})
