import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFetch, seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { IssuedCode } from '../../src/core/schemas/people.ts'

/** Sessions opened before a password reset, and 退出其他设备. */
let server: TestServer
let org: Org

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())

const post = (f: FetchFn, path: string, body: unknown = {}) =>
  f(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const me = async (f: FetchFn) => {
  const res = await f(`${server.url}/api/auth/me`)
  return { status: res.status, code: res.status === 200 ? null : ((await res.json()) as { error: { code: string } }).error.code }
}

describe('a password reset with an activation code', () => {
  it('signs out every session opened before it (401 signed_out: those phones wipe the account), in the same transaction', async () => {
    const phoneInOtherHands = await signIn(server, org.memberA.phone)
    const secondPhone = await signIn(server, org.memberA.phone)
    const bystander = await signIn(server, org.memberA2.phone)
    expect((await me(phoneInOtherHands)).status).toBe(200)
    const admin = await signIn(server, org.admin.phone)
    const issued = (await (await post(admin, `/api/admin/people/${org.memberA.id}/activation`)).json()) as { activation: IssuedCode }
    const newPhone = cookieFetch()
    expect(
      (
        await post(newPhone, '/api/auth/activate', {
          phone: org.memberA.phone,
          code: issued.activation.code,
          password: 'a-brand-new-password',
        })
      ).status,
    ).toBe(200)
    expect(await me(phoneInOtherHands)).toEqual({ status: 401, code: 'signed_out' })
    expect(await me(secondPhone)).toEqual({ status: 401, code: 'signed_out' })
    // The new session, and other people's, are untouched.
    expect((await me(newPhone)).status).toBe(200)
    expect((await me(bystander)).status).toBe(200)
    const sessions = await server.handle.db
      .selectFrom('sessions')
      .select(['revoked_at', 'revoked_reason'])
      .where('user_id', '=', org.memberA.id)
      .execute()
    expect(sessions.filter((s) => s.revoked_at === null)).toHaveLength(1)
    expect(sessions.filter((s) => s.revoked_at !== null).every((s) => s.revoked_reason === 'remote')).toBe(true)
  })

  it('leaves the sessions alone when the code is wrong', async () => {
    const f = await signIn(server, org.memberB.phone)
    expect(
      (await post(cookieFetch(), '/api/auth/activate', { phone: org.memberB.phone, code: 'ABCDEFGH', password: 'a-brand-new-password' }))
        .status,
    ).toBe(401)
    expect((await me(f)).status).toBe(200)
  })
})

describe('退出其他设备', () => {
  it("keeps the current session and signs out the person's others", async () => {
    const here = await signIn(server, org.secretaryA.phone)
    const others = [await signIn(server, org.secretaryA.phone), await signIn(server, org.secretaryA.phone)]
    const someoneElse = await signIn(server, org.memberA2.phone)
    const res = await post(here, '/api/me/sessions/revoke-others')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ signedOut: 2 })
    expect((await me(here)).status).toBe(200)
    for (const f of others) expect(await me(f)).toEqual({ status: 401, code: 'signed_out' })
    expect((await me(someoneElse)).status).toBe(200)
    const list = (await (await here(`${server.url}/api/me/sessions`)).json()) as { sessions: { current: boolean }[] }
    expect(list.sessions).toEqual([expect.objectContaining({ current: true })])
    // Nothing left to sign out; recorded in the audit log once.
    expect(await (await post(here, '/api/me/sessions/revoke-others')).json()).toEqual({ signedOut: 0 })
    const audit = await server.handle.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('actor_id', '=', org.secretaryA.id)
      .where('action', '=', 'sessions_revoke')
      .execute()
    expect(audit).toHaveLength(1)
  })
})
