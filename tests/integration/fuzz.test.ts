import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sql } from 'kysely'
import { PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { newId } from '../../src/core/ids.ts'

/**
 * Property-based fuzzing of every route with valid, invalid and hostile input: never a 5xx,
 * never a stack trace, always the error shape on refusal, and a refused request changes nothing.
 * FUZZ_RUNS raises the number of cases (npm run soak).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60)

let server: TestServer
let org: Org
let cookie = ''

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: org.memberA.phone, password: PASSWORD } })
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? ''
})
afterAll(() => server.close())

const HOSTILE = [
  "' OR '1'='1", "'; DROP TABLE users; --", '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '\u0000', '\ud800', '\u202e',
  '𠀀𪚥😀'.repeat(500), 'x'.repeat(70_000), '../../etc/passwd', '${jndi:ldap://x}', '{{7*7}}', '__proto__', 'constructor', 'NaN', '-0', '1e309',
]
const hostile = fc.constantFrom(...HOSTILE)
const scalar = fc.oneof(
  { weight: 4, arbitrary: hostile },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
)
const value: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) })
const uuidish = fc.oneof(fc.constant(newId()), fc.uuid(), hostile, fc.string({ maxLength: 40 }))

const studyFields = fc.record(
  { kind: fc.oneof(fc.constantFrom('self_study', 'party_lesson', 'x'), value), title: fc.oneof(fc.string({ maxLength: 60 }), value), date: fc.oneof(fc.constantFrom('2026-11-20', '2026-02-30', '1900-01-01'), value), minutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), value), notes: fc.oneof(fc.string(), value), sourceUrl: fc.oneof(fc.constantFrom('', 'https://example.org', 'javascript:alert(1)'), value), createdAt: fc.oneof(fc.constant(new Date().toISOString()), value), extra: value },
  { requiredKeys: [] },
)
const mutation = fc.record(
  { id: uuidish, table: fc.oneof(fc.constantFrom('study_records', 'users', 'mutations'), value), op: fc.oneof(fc.constantFrom('upsert', 'delete'), value), rowId: uuidish, fields: fc.oneof(studyFields, value), base: fc.oneof(fc.record({ notes: value }), value), clientTime: fc.oneof(fc.string({ maxLength: 30 }), value), v: fc.oneof(fc.constantFrom(1, 0, 2, 99), value) },
  { requiredKeys: [] },
)

/** A JSON body: mostly route-shaped, sometimes anything, sometimes not JSON at all. */
const bodyFor = (shape: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: shape.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('{', '[[[', '"\\u', '', 'null', '[' .repeat(3000) + ']'.repeat(3000), '{"a":'.repeat(2000) + '1' + '}'.repeat(2000)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  )

const ROUTES: Record<string, { method: 'GET' | 'POST'; url: fc.Arbitrary<string>; body?: fc.Arbitrary<string> }> = {
  'GET /api/health': { method: 'GET', url: fc.constant('/api/health') },
  'GET /api/setup': { method: 'GET', url: fc.constant('/api/setup') },
  'POST /api/setup': {
    method: 'POST', url: fc.constant('/api/setup'),
    body: bodyFor(fc.record({ orgName: value, adminName: value, phone: fc.oneof(fc.constant('13812345678'), value), password: value }, { requiredKeys: [] })),
  },
  'POST /api/setup/demo': { method: 'POST', url: fc.constant('/api/setup/demo'), body: bodyFor(value) },
  'POST /api/auth/login': {
    method: 'POST', url: fc.constant('/api/auth/login'),
    body: bodyFor(fc.record({ phone: fc.oneof(fc.constant('13800000004'), value), password: value }, { requiredKeys: [] })),
  },
  'POST /api/auth/logout': { method: 'POST', url: fc.constant('/api/auth/logout'), body: bodyFor(value) },
  'GET /api/auth/me': { method: 'GET', url: fc.constant('/api/auth/me') },
  'POST /api/sync/push': {
    method: 'POST', url: fc.constant('/api/sync/push'),
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
  'GET /api/sync/pull': {
    method: 'GET',
    url: fc
      .record({ cursor: fc.oneof(fc.string({ maxLength: 120 }), hostile), limit: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), hostile) }, { requiredKeys: [] })
      .map((q) => `/api/sync/pull?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`),
  },
}

async function fingerprint(): Promise<string> {
  const db = server.handle.db
  const counts = await Promise.all(
    (['users', 'sessions', 'study_records', 'mutations', 'branches', 'organizations'] as const).map((t) =>
      db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
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
            url,
            headers: { ...(withCookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            payload: body,
          })
          expect(res.statusCode).toBeLessThan(500)
          expect(res.body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/)
          if (res.statusCode >= 400) {
            const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }
            expect(typeof parsed.error?.code).toBe('string')
            expect(typeof parsed.error?.message).toBe('string')
            // A refused login is not a write; rate-limit bookkeeping lives in memory.
            expect(await fingerprint()).toBe(before)
          }
        }),
        { numRuns: RUNS },
      )
    })
  }
})
