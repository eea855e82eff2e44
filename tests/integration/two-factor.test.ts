import { afterAll, describe, expect, it } from 'vitest'
import { PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { currentCode } from '../../src/server/services/security/two-factor.ts'
import { seedDemo, DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/server/ops/demo-seed.ts'
import type { LoginLimits } from '../../src/server/lib/attempt-limits.ts'

/**
 * Administrator two-factor login (TOTP): required of administrators (nothing but enrolment until
 * done), optional for secretaries, not offered to members; a code accepted once; recovery codes
 * once each; a reset by another administrator; the second step limited like passwords; the
 * demo's administrator exempt; and the managers' idle timeout on administrative requests.
 */

const servers: TestServer[] = []
afterAll(async () => {
  for (const s of servers) await s.close()
})

/** A clock the test moves (TOTP steps, the idle timeout). */
function fakeClock() {
  let now = Date.now()
  return {
    clock: () => now,
    advance: (ms: number) => (now += ms),
    get now() {
      return now
    },
  }
}

async function serve(opts: { loginLimits?: Partial<LoginLimits>; idle?: number } = {}) {
  const time = fakeClock()
  const server = await startServer({
    loginLimits: opts.loginLimits,
    security: { requireAdminTwoFactor: true, clock: time.clock, managerIdleMinutes: opts.idle ?? 30 },
  })
  servers.push(server)
  return { server, time }
}

interface Answer {
  status: number
  body: Record<string, unknown>
  cookie: string | null
}

/** One browser: keeps its session cookie between calls. */
function browser(server: TestServer) {
  let cookie: string | null = null
  const call = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await server.app.inject({
      method,
      url,
      ...(payload !== undefined && { payload }),
      headers: { ...(cookie && { cookie }), ...(method === 'POST' && payload === undefined && { 'content-type': 'application/json' }) },
      ...(method === 'POST' && payload === undefined && { payload: {} }),
    })
    const set = res.cookies.find((c) => c.name === 'sx_session')
    if (set) cookie = set.value ? `sx_session=${set.value}` : null
    const body = (res.body.startsWith('{') ? JSON.parse(res.body) : {}) as Record<string, unknown>
    return { status: res.statusCode, body, cookie: set?.value ?? null }
  }
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload?: object) => call('POST', url, payload),
    get signedIn() {
      return cookie !== null
    },
  }
}

const code = (a: Answer) => (a.body.error as { code?: string } | undefined)?.code

async function enrol(b: ReturnType<typeof browser>, now: number): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await b.post('/api/me/two-factor/start')
  expect(start.status).toBe(200)
  const secret = String(start.body.secret)
  const confirmed = await b.post('/api/me/two-factor/confirm', { code: currentCode(secret, now) })
  expect(confirmed.status).toBe(200)
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] }
}

describe('administrator two-factor login', () => {
  let server: TestServer
  let org: Org
  let time: ReturnType<typeof fakeClock>
  let secret = ''
  let recoveryCodes: string[] = []

  it('sends an administrator who has not enrolled to enrolment and refuses everything else', async () => {
    ;({ server, time } = await serve())
    org = await seedOrg(server.handle)
    const b = browser(server)
    const login = await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })
    expect(login.status).toBe(200)
    expect((login.body.user as { mustEnrolTwoFactor?: boolean }).mustEnrolTwoFactor).toBe(true)
    for (const url of ['/api/admin/org', '/api/admin/people', '/api/sync/pull?cursor=0', '/api/me/sessions', '/api/admin/audit']) {
      const r = await b.get(url)
      expect(r.status, url).toBe(403)
      expect(code(r), url).toBe('two_factor_required')
    }
    expect((await b.get('/api/auth/me')).status).toBe(200)
    expect((await b.get('/api/me/two-factor')).body).toMatchObject({ enabled: false, required: true, recoveryCodesLeft: 0 })
  })

  it('enrols with a first code: an otpauth URI, ten recovery codes shown once, the secret stored encrypted and never answered again', async () => {
    const b = browser(server)
    await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })
    const start = await b.post('/api/me/two-factor/start')
    expect(String(start.body.uri)).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]+/)
    expect(String(start.body.uri)).toContain('issuer=%E5%85%9A%E5%BB%BA%E9%9A%8F%E8%A1%8C')
    secret = String(start.body.secret)
    const wrong = await b.post('/api/me/two-factor/confirm', { code: '000000' === currentCode(secret, time.now) ? '111111' : '000000' })
    expect(wrong.status).toBe(400)
    expect(code(wrong)).toBe('two_factor_invalid')
    const ok = await b.post('/api/me/two-factor/confirm', { code: currentCode(secret, time.now) })
    expect(ok.status).toBe(200)
    recoveryCodes = ok.body.recoveryCodes as string[]
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    const row = await server.handle.db
      .selectFrom('users')
      .select(['totp_secret', 'totp_pending'])
      .where('id', '=', org.admin.id)
      .executeTakeFirstOrThrow()
    expect(row.totp_secret).toMatch(/^v1:/)
    expect(row.totp_secret).not.toContain(secret)
    expect(row.totp_pending).toBeNull()
    const stored = await server.handle.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', org.admin.id).execute()
    expect(stored).toHaveLength(10)
    for (const c of recoveryCodes) expect(stored.map((s) => s.code_hash)).not.toContain(c)
    // Never answered again.
    const again = await b.post('/api/me/two-factor/start')
    expect(again.status).toBe(409)
    expect(JSON.stringify(again.body)).not.toContain(secret)
    expect((await b.get('/api/me/two-factor')).body).toMatchObject({ enabled: true, required: true, recoveryCodesLeft: 10 })
    // Enrolled: the rest of the app opens, and the act is in the audit log.
    expect((await b.get('/api/admin/org')).status).toBe(200)
    const audit = await server.handle.db.selectFrom('audit_log').select('action').where('actor_id', '=', org.admin.id).execute()
    expect(audit.map((a) => a.action)).toContain('two_factor_enrol')
  })

  it('makes login two steps: the password alone signs nobody in; a code is accepted once (no replay in its window)', async () => {
    const b = browser(server)
    const first = await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })
    expect(first.status).toBe(200)
    expect(first.body.user).toBeUndefined()
    expect(b.signedIn).toBe(false)
    const ticket = String((first.body.twoFactor as { ticket: string }).ticket)
    // The code that confirmed enrolment (same 30 s step) is not accepted again.
    const replay = await b.post('/api/auth/login/verify', { ticket, code: currentCode(secret, time.now) })
    expect(replay.status).toBe(401)
    expect(code(replay)).toBe('two_factor_invalid')
    expect(b.signedIn).toBe(false)
    time.advance(30_000)
    const ok = await b.post('/api/auth/login/verify', { ticket, code: currentCode(secret, time.now) })
    expect(ok.status).toBe(200)
    expect(b.signedIn).toBe(true)
    expect((await b.get('/api/admin/org')).status).toBe(200)
    // The same code from another browser, within its window: refused.
    const other = browser(server)
    const t2 = (await other.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as { ticket: string }
    const again = await other.post('/api/auth/login/verify', { ticket: t2.ticket, code: currentCode(secret, time.now) })
    expect(code(again)).toBe('two_factor_invalid')
    // A used ticket does not sign in again; a made-up one neither.
    expect(code(await other.post('/api/auth/login/verify', { ticket, code: currentCode(secret, time.now + 30_000) }))).toBe(
      'two_factor_expired',
    )
    expect(code(await other.post('/api/auth/login/verify', { ticket: 'x'.repeat(43), code: '123456' }))).toBe('two_factor_expired')
  })

  it('accepts each recovery code once, in any case and with or without its dash', async () => {
    const b = browser(server)
    const t = (await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as { ticket: string }
    const rc = recoveryCodes[0] ?? ''
    const ok = await b.post('/api/auth/login/verify', { ticket: t.ticket, code: rc.toUpperCase().replace('-', '') })
    expect(ok.status).toBe(200)
    const c = browser(server)
    const t2 = (await c.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as { ticket: string }
    expect(code(await c.post('/api/auth/login/verify', { ticket: t2.ticket, code: rc }))).toBe('two_factor_invalid')
    expect((await b.get('/api/me/two-factor')).body).toMatchObject({ recoveryCodesLeft: 9 })
    const actions = await server.handle.db.selectFrom('audit_log').select('action').where('actor_id', '=', org.admin.id).execute()
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['recovery_code_used', 'two_factor_failed', 'login']))
  })

  it('regenerates recovery codes on a current code; the old ones stop working', async () => {
    const b = browser(server)
    const t = (await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as { ticket: string }
    await b.post('/api/auth/login/verify', { ticket: t.ticket, code: recoveryCodes[1] ?? '' })
    time.advance(30_000)
    const fresh = await b.post('/api/me/two-factor/recovery-codes', { code: currentCode(secret, time.now) })
    expect(fresh.status).toBe(200)
    const codes = fresh.body.recoveryCodes as string[]
    expect(codes).toHaveLength(10)
    const c = browser(server)
    const t2 = (await c.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as { ticket: string }
    expect(code(await c.post('/api/auth/login/verify', { ticket: t2.ticket, code: recoveryCodes[2] ?? '' }))).toBe('two_factor_invalid')
    expect((await c.post('/api/auth/login/verify', { ticket: t2.ticket, code: codes[0] ?? '' })).status).toBe(200)
    recoveryCodes = codes.slice(1)
    // An administrator may not turn it off.
    time.advance(30_000)
    const off = await c.post('/api/me/two-factor/disable', { code: currentCode(secret, time.now) })
    expect(off.status).toBe(403)
  })

  it('is reset by another administrator (audited), never by oneself; the person enrols again at the next sign-in', async () => {
    const other = await server.handle.db.transaction().execute(async (trx) => {
      const { createUser } = await import('../../src/server/repositories/organization.ts')
      const { hashPassword } = await import('../../src/server/lib/passwords.ts')
      return createUser(trx, {
        orgId: org.orgId,
        branchId: null,
        name: '第二管理员',
        phone: '13800000099',
        role: 'admin',
        passwordHash: await hashPassword(PASSWORD),
      })
    })
    const b = browser(server)
    await b.post('/api/auth/login', { phone: '13800000099', password: PASSWORD })
    const own = await enrol(b, time.now)
    expect(own.recoveryCodes).toHaveLength(10)
    expect((await b.post(`/api/admin/people/${other}/two-factor/reset`)).status).toBe(403)
    const reset = await b.post(`/api/admin/people/${org.admin.id}/two-factor/reset`)
    expect(reset.status).toBe(200)
    const entry = await server.handle.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'two_factor_reset')
      .executeTakeFirstOrThrow()
    expect(entry).toEqual({ actor_id: other, target_id: org.admin.id })
    const a = browser(server)
    const login = await a.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })
    expect((login.body.user as { mustEnrolTwoFactor?: boolean }).mustEnrolTwoFactor).toBe(true)
    expect(code(await a.get('/api/admin/org'))).toBe('two_factor_required')
    expect(await server.handle.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', org.admin.id).execute()).toEqual(
      [],
    )
  })

  it('is optional for secretaries (who may turn it off) and not offered to members', async () => {
    const s = browser(server)
    const login = await s.post('/api/auth/login', { phone: org.secretaryA.phone, password: PASSWORD })
    expect((login.body.user as { mustEnrolTwoFactor?: boolean }).mustEnrolTwoFactor).toBeUndefined()
    expect((await s.get('/api/admin/people')).status).toBe(200)
    expect((await s.get('/api/me/two-factor')).body).toMatchObject({ enabled: false, required: false })
    const { secret: own } = await enrol(s, time.now)
    const s2 = browser(server)
    expect((await s2.post('/api/auth/login', { phone: org.secretaryA.phone, password: PASSWORD })).body.twoFactor).toBeDefined()
    time.advance(30_000)
    expect((await s.post('/api/me/two-factor/disable', { code: currentCode(own, time.now) })).status).toBe(200)
    expect((await s2.post('/api/auth/login', { phone: org.secretaryA.phone, password: PASSWORD })).body.user).toBeDefined()
    const m = browser(server)
    await m.post('/api/auth/login', { phone: org.memberA.phone, password: PASSWORD })
    expect((await m.post('/api/me/two-factor/start')).status).toBe(403)
  })
})

describe('the second step is limited like the password', () => {
  it('locks the account after repeated wrong codes, with the same answer as for passwords', async () => {
    const { server, time } = await serve({ loginLimits: { failuresBeforeLock: 3 } })
    const org = await seedOrg(server.handle)
    const b = browser(server)
    await b.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })
    const { secret } = await enrol(b, time.now)
    time.advance(30_000)
    const c = browser(server)
    const { ticket } = (await c.post('/api/auth/login', { phone: org.admin.phone, password: PASSWORD })).body.twoFactor as {
      ticket: string
    }
    const wrong = currentCode(secret, time.now) === '123456' ? '654321' : '123456'
    for (let i = 0; i < 3; i++) expect((await c.post('/api/auth/login/verify', { ticket, code: wrong })).status).toBe(401)
    const locked = await c.post('/api/auth/login/verify', { ticket, code: currentCode(secret, time.now) })
    expect(locked.status).toBe(429)
    expect(code(locked)).toBe('rate_limited')
  })
})

describe('the demo organisation', () => {
  it('does not make its administrator enrol (the demo stays usable without an authenticator)', async () => {
    const { server } = await serve()
    await seedDemo(server.handle.db)
    const b = browser(server)
    const login = await b.post('/api/auth/login', { phone: DEMO_ACCOUNTS.admin, password: DEMO_PASSWORD })
    expect(login.status).toBe(200)
    expect((login.body.user as { mustEnrolTwoFactor?: boolean }).mustEnrolTwoFactor).toBeUndefined()
    expect((await b.get('/api/admin/org')).status).toBe(200)
  })
})

describe('first-run setup', () => {
  it('signs the first administrator in straight to enrolment', async () => {
    const { server } = await serve()
    const b = browser(server)
    const r = await b.post('/api/setup', { orgName: '某县机关党委', adminName: '李管理', phone: '13700000001', password: 'Setup-pass-1' })
    expect(r.status).toBe(200)
    expect((r.body.user as { mustEnrolTwoFactor?: boolean }).mustEnrolTwoFactor).toBe(true)
    expect(code(await b.get('/api/admin/org'))).toBe('two_factor_required')
  })
})

describe('the managers’ idle timeout', () => {
  it('asks for a new sign-in on an administrative request after the pause, while sync goes on', async () => {
    const { server, time } = await serve({ idle: 30 })
    const org = await seedOrg(server.handle)
    const s = browser(server)
    await s.post('/api/auth/login', { phone: org.secretaryA.phone, password: PASSWORD })
    time.advance(20 * 60_000)
    expect((await s.get('/api/admin/people')).status).toBe(200)
    // 20 + 25 minutes from sign-in, 25 from the last administrative request: still within.
    time.advance(25 * 60_000)
    expect((await s.get('/api/admin/people')).status).toBe(200)
    time.advance(31 * 60_000)
    const idle = await s.get('/api/admin/people')
    expect(idle.status).toBe(401)
    expect(code(idle)).toBe('reauth_required')
    // The phone's own work is untouched: sync and the member's routes answer.
    expect((await s.get('/api/sync/pull?cursor=0')).status).toBe(200)
    expect((await s.get('/api/me/sessions')).status).toBe(200)
    // A member is never timed out.
    const m = browser(server)
    await m.post('/api/auth/login', { phone: org.memberA.phone, password: PASSWORD })
    time.advance(24 * 60 * 60_000)
    expect((await m.get('/api/sync/pull?cursor=0')).status).toBe(200)
    // Signing in again opens administrative requests again.
    const again = browser(server)
    await again.post('/api/auth/login', { phone: org.secretaryA.phone, password: PASSWORD })
    expect((await again.get('/api/admin/people')).status).toBe(200)
  })
})
