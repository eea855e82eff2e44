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
/** 投诉建议 as a member writes it, and an answer as an administrator would (the fuzzed member may not). */
const feedbackShaped = fc.record(
  {
    category: fc.oneof(fc.constantFrom('complaint', 'suggestion', 'praise'), value),
    text: fc.oneof(fc.constant('食堂排队太久'), value),
    anonymous: fc.oneof(fc.boolean(), value),
    createdAt: fc.oneof(fc.constant(new Date().toISOString()), value),
    answer: value,
    authorId: fc.oneof(fc.constant(newId()), value),
  },
  { requiredKeys: [] },
)
/** 党费 declarations and receipts: amounts in 分 around the edges, months, kinds and methods that do not exist. */
const duesFields = fc.record(
  {
    memberId: fc.oneof(fc.constant('TARGET'), uuidish, value),
    category: fc.oneof(fc.constantFrom('in_service', 'retired', 'student', 'farmer', 'x'), value),
    baseFen: fc.oneof(fc.constantFrom(300000, 300001, -1, 0.5, 1e12, null), value),
    fromMonth: fc.oneof(fc.constantFrom('2026-01', '2026-13', '1900-01'), value),
    checkedOn: fc.oneof(fc.constantFrom('2026-11-20', '2999-01-01'), value),
    kind: fc.oneof(fc.constantFrom('monthly', 'quarterly', 'arrears', 'special', 'payroll'), value),
    months: fc.oneof(fc.array(fc.constantFrom('2026-01', '2026-06', '2026-11', '2025-01', 'x'), { maxLength: 8 }), value),
    amountFen: fc.oneof(fc.integer({ min: -5, max: 1e9 }), value),
    method: fc.oneof(fc.constantFrom('cash', 'transfer', 'payroll', 'branch'), value),
    receivedOn: fc.oneof(fc.constantFrom('2026-11-20', '2999-01-01'), value),
    notes: fc.oneof(fc.string(), value),
    createdAt: fc.oneof(fc.constant(new Date().toISOString()), value),
    payerId: value,
  },
  { requiredKeys: [] },
)
const trainingFields = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('party_school', 'online', 'x'), value),
    title: fc.oneof(fc.string({ maxLength: 60 }), value),
    organiser: fc.oneof(fc.string({ maxLength: 60 }), value),
    startOn: fc.oneof(fc.constantFrom('2026-11-01', '2026-02-30', '2999-01-01'), value),
    endOn: fc.oneof(fc.constantFrom('2026-11-02', '2025-01-01', '2999-01-01'), value),
    minutes: fc.oneof(fc.integer({ min: -5, max: 20000 }), value),
    photoIds: fc.oneof(fc.array(uuidish, { maxLength: 7 }), value),
    notes: fc.oneof(fc.string(), value),
    confirmed: fc.oneof(fc.boolean(), value),
    createdAt: fc.oneof(fc.constant(new Date().toISOString()), value),
  },
  { requiredKeys: [] },
)
const mutation = fc.record(
  {
    id: uuidish,
    table: fc.oneof(
      fc.constantFrom(
        'study_records',
        'users',
        'mutations',
        'feedback',
        'dues_profiles',
        'dues_payments',
        'outside_trainings',
        'rectifications',
      ),
      value,
    ),
    op: fc.oneof(fc.constantFrom('upsert', 'delete'), value),
    rowId: uuidish,
    fields: fc.oneof(studyFields, feedbackShaped, duesFields, trainingFields, value),
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
  'GET /api/year-report/:scope/:year': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('org')), fc.oneof(fc.constantFrom('2026', '1999', '9999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/year-report/${encodeURIComponent(scope)}/${encodeURIComponent(year)}`),
    as: 'admin',
  },
  'GET /api/year-report-xlsx/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('org')), fc.oneof(fc.constantFrom('2026', '1999', '9999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/year-report-xlsx/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
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
  'GET /api/admin/people/:id/wecom': { method: 'GET', url: personUrl('/wecom'), as: 'admin' },
  'POST /api/admin/people/:id/wecom': {
    method: 'POST',
    url: personUrl('/wecom'),
    body: bodyFor(fc.record({ wecomUserId: fc.oneof(fc.constant('zhangsan'), value), lookup: value }, { requiredKeys: [] })),
    as: 'admin',
  },
  'GET /api/admin/reminders/failures': { method: 'GET', url: fc.constant('/api/admin/reminders/failures'), as: 'admin' },
  'GET /api/reminders/channels': { method: 'GET', url: fc.constant('/api/reminders/channels') },
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
  'POST /api/dues/collector/:id': {
    method: 'POST',
    url: uuidish.filter((t) => !/[\ud800-\udfff]/.test(t)).map((id) => `/api/dues/collector/${encodeURIComponent(id)}`),
    body: bodyFor(fc.record({ memberId: fc.oneof(fc.constant('TARGET'), uuidish, value) }, { requiredKeys: [] })),
    as: 'admin',
  },
  'GET /api/dues-ledger/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(fc.constant(newId()), uuidish), fc.oneof(fc.constantFrom('2026', '1999', '0000'), hostile))
      .filter((parts) => !/[\ud800-\udfff]/.test(parts.join('')))
      .map(([scope, year]) => `/api/dues-ledger/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
    as: 'admin',
  },
  'GET /api/org/training': { method: 'GET', url: fc.constant('/api/org/training') },
  'POST /api/admin/training': {
    method: 'POST',
    url: fc.constant('/api/admin/training'),
    body: bodyFor(
      fc.record(
        {
          settings: fc.oneof(
            fc.constant(null),
            fc.record(
              {
                types: fc.oneof(fc.array(fc.oneof(fc.constantFrom('party_lesson', 'theme_day', 'x'), value), { maxLength: 14 }), value),
                minutesPerHour: fc.oneof(fc.constantFrom(45, 60, 50, 0, -45), value),
                extra: value,
              },
              { requiredKeys: [] },
            ),
            value,
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    as: 'admin',
  },
  'POST /api/training/flags/:id': {
    method: 'POST',
    url: personUrl('').map((u) => u.replace('/api/admin/people/', '/api/training/flags/')),
    body: bodyFor(
      fc.record({ cadre: fc.oneof(fc.boolean(), value), exempt: fc.oneof(fc.boolean(), value), extra: value }, { requiredKeys: [] }),
    ),
    as: 'admin',
  },
  'GET /api/training-ledger/:scope/:file': {
    method: 'GET',
    url: fc
      .tuple(fc.oneof(uuidish, fc.constant('leadership')), fc.oneof(fc.constantFrom('2026', '1999', '9999'), fc.string({ maxLength: 8 })))
      .filter(([a, b]) => !/[\ud800-\udfff]/.test(a + b))
      .map(([scope, year]) => `/api/training-ledger/${encodeURIComponent(scope)}/${encodeURIComponent(year)}.xlsx`),
    as: 'admin',
  },
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
  'GET /api/me/two-factor': { method: 'GET', url: fc.constant('/api/me/two-factor'), as: 'admin' },
  'POST /api/me/password': {
    method: 'POST',
    url: fc.constant('/api/me/password'),
    body: bodyFor(fc.record({ current: fc.oneof(fc.constant('wrong-password'), value), password: value }, { requiredKeys: [] })),
  },
  'POST /api/me/two-factor/start': { method: 'POST', url: fc.constant('/api/me/two-factor/start'), body: bodyFor(value), as: 'admin' },
  'POST /api/me/two-factor/confirm': {
    method: 'POST',
    url: fc.constant('/api/me/two-factor/confirm'),
    body: bodyFor(fc.record({ code: fc.oneof(fc.stringMatching(/^\d{6}$/), value) }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/me/two-factor/recovery-codes': {
    method: 'POST',
    url: fc.constant('/api/me/two-factor/recovery-codes'),
    body: bodyFor(fc.record({ code: fc.oneof(fc.stringMatching(/^\d{6}$/), value) }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/me/two-factor/disable': {
    method: 'POST',
    url: fc.constant('/api/me/two-factor/disable'),
    body: bodyFor(fc.record({ code: fc.oneof(fc.stringMatching(/^\d{6}$/), value) }, { requiredKeys: [] })),
    as: 'admin',
  },
  'POST /api/auth/login/verify': {
    method: 'POST',
    url: fc.constant('/api/auth/login/verify'),
    body: bodyFor(
      fc.record(
        {
          ticket: fc.oneof(fc.string({ minLength: 10, maxLength: 60 }), value),
          code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.constant('abcde-fghjk'), value),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  'POST /api/admin/people/:id/two-factor/reset': { method: 'POST', url: personUrl('/two-factor/reset'), body: bodyFor(value), as: 'admin' },
  'GET /api/admin/compliance-sheet': { method: 'GET', url: fc.constant('/api/admin/compliance-sheet'), as: 'admin' },
  'GET /api/admin/audit/export': {
    method: 'GET',
    url: fc
      .tuple(
        fc.oneof(fc.constantFrom('2026-01-01', '2026-02-30', '1999-12-31'), fc.string({ maxLength: 12 })),
        fc.oneof(fc.constantFrom('2026-12-31', '2025-01-01'), fc.string({ maxLength: 12 })),
        fc.oneof(fc.constantFrom('xlsx', 'csv', 'pdf'), fc.string({ maxLength: 6 })),
      )
      .filter(([a, b, c]) => !/[\ud800-\udfff]/.test(a + b + c))
      .map(
        ([from, to, format]) =>
          `/api/admin/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=${encodeURIComponent(format)}`,
      ),
    as: 'admin',
  },
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
  'GET /api/me/privacy': { method: 'GET', url: fc.constant('/api/me/privacy') },
  'POST /api/me/privacy/accept': {
    method: 'POST',
    url: fc.constant('/api/me/privacy/accept'),
    body: bodyFor(fc.record({ version: fc.oneof(fc.constantFrom(1, 0, 2, -1, 1.5), value), extra: value }, { requiredKeys: [] })),
  },
  'POST /api/me/consents': {
    method: 'POST',
    url: fc.constant('/api/me/consents'),
    body: bodyFor(
      fc.record(
        { kind: fc.oneof(fc.constantFrom('location', 'dues-base', 'notice', 'camera'), value), granted: fc.oneof(fc.boolean(), value) },
        { requiredKeys: [] },
      ),
    ),
  },
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
        'rectifications',
        'photos',
        'feedback',
        'consent_events',
        'dues_profiles',
        'dues_payments',
        'dues_paid_months',
        'outside_trainings',
        'training_profiles',
        'review_cycles',
        'review_papers',
        'review_grades',
        'review_voters',
        'review_counts',
        'review_paper_tallies',
      ] as const
    ).map((t) =>
      t === 'audit_log'
        ? // Failed logins and codes are recorded (for the assessor) like attempt counters: not a write of the refused request.
          db
            .selectFrom(t)
            .select(sql<number>`count(*)`.as('n'))
            .where('action', 'not in', ['login_failed', 'two_factor_failed'])
            .executeTakeFirstOrThrow()
        : db
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
            // The real person set aside for fuzzing, where a body names one.
            payload: body?.replaceAll('TARGET', targetId),
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
