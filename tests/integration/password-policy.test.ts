import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFetch, seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { IssuedCode } from '../../src/core/schemas/people.ts'
import { hashPassword } from '../../src/server/lib/passwords.ts'

/** The password policy on the server: every route that sets a password refuses a weak one with the reason, and changes nothing. */
let server: TestServer
let org: Org
beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())

const post = (f: FetchFn, path: string, body: unknown = {}) =>
  f(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const refusal = async (res: Response) => ({
  status: res.status,
  message: ((await res.json()) as { error: { message: string } }).error.message,
})

describe('the password policy', () => {
  it('refuses a weak password at activation, in Chinese, and leaves the code usable', async () => {
    const admin = await signIn(server, org.admin.phone)
    const { activation } = (await (await post(admin, `/api/admin/people/${org.memberA.id}/activation`)).json()) as {
      activation: IssuedCode
    }
    const tries: [string, string][] = [
      ['abcdefghij', '密码：密码需包含字母、数字、符号中的至少两种'],
      ['Abcd1234', '密码：这是常见密码，容易被猜到，请换一个'],
      [`x${org.memberA.phone}`, '密码：密码不能包含手机号'],
      ['张三-2026-ok', '密码：密码不能包含姓名或账号名'],
    ]
    for (const [password, message] of tries)
      expect(
        await refusal(await post(cookieFetch(), '/api/auth/activate', { phone: org.memberA.phone, code: activation.code, password })),
      ).toEqual({
        status: 400,
        message,
      })
    const ok = await post(cookieFetch(), '/api/auth/activate', { phone: org.memberA.phone, code: activation.code, password: 'hongqi-2026' })
    expect(ok.status).toBe(200)
  })

  it('refuses a weak password at first-run setup', async () => {
    const fresh = await startServer()
    try {
      const f = cookieFetch()
      const setup = (password: string) =>
        f(`${fresh.url}/api/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ orgName: '某机关党委', adminName: '李四', phone: '13711112222', password }),
        })
      expect(await refusal(await setup('13711112222a'))).toEqual({ status: 400, message: '密码：密码不能包含手机号' })
      expect(await refusal(await setup('12345678'))).toEqual({ status: 400, message: '密码：密码需包含字母、数字、符号中的至少两种' })
      const setupStatus = (await (await f(`${fresh.url}/api/setup`)).json()) as { needsSetup: boolean }
      expect(setupStatus.needsSetup).toBe(true)
    } finally {
      await fresh.close()
    }
  })

  it('asks an account whose password breaks the policy for a new one after login, and takes it on the current one', async () => {
    await server.handle.db
      .updateTable('users')
      .set({ password_hash: await hashPassword('abcdefghij') })
      .where('id', '=', org.memberB.id)
      .execute()
    const f = cookieFetch()
    const login = (await (await post(f, '/api/auth/login', { phone: org.memberB.phone, password: 'abcdefghij' })).json()) as {
      user: { mustChangePassword?: boolean }
    }
    expect(login.user.mustChangePassword).toBe(true)
    expect(
      ((await (await f(`${server.url}/api/auth/me`)).json()) as { user: { mustChangePassword?: boolean } }).user.mustChangePassword,
    ).toBe(true)
    expect(await refusal(await post(f, '/api/me/password', { current: 'wrong-password', password: 'hongqi-2026' }))).toEqual({
      status: 400,
      message: '当前密码不正确',
    })
    expect(await refusal(await post(f, '/api/me/password', { current: 'abcdefghij', password: '12345678' }))).toEqual({
      status: 400,
      message: '新密码：密码需包含字母、数字、符号中的至少两种',
    })
    expect((await post(f, '/api/me/password', { current: 'abcdefghij', password: 'hongqi-2026' })).status).toBe(200)
    // This device stays signed in, without the request; the old password no longer signs in; the act is audited.
    expect(
      ((await (await f(`${server.url}/api/auth/me`)).json()) as { user: { mustChangePassword?: boolean } }).user.mustChangePassword,
    ).toBeUndefined()
    expect((await post(cookieFetch(), '/api/auth/login', { phone: org.memberB.phone, password: 'abcdefghij' })).status).toBe(401)
    const again = (await (await post(cookieFetch(), '/api/auth/login', { phone: org.memberB.phone, password: 'hongqi-2026' })).json()) as {
      user: { mustChangePassword?: boolean }
    }
    expect(again.user.mustChangePassword).toBeUndefined()
    const entry = await server.handle.db.selectFrom('audit_log').select('action').where('actor_id', '=', org.memberB.id).execute()
    expect(entry.map((e) => e.action)).toContain('password_change')
  })
})
