import * as v from 'valibot'
import { contract } from './contract.ts'
import { LoginRequest, SessionUser, SetupRequest, SetupStatus } from '../schemas/auth.ts'
import { ActivateRequest } from '../schemas/people.ts'

/** First run, signing in and out, the server's clock and health. */
const UserReply = v.object({ user: SessionUser })

export const setupStatus = contract({ method: 'GET', path: '/api/setup', response: SetupStatus })
export const setup = contract({ method: 'POST', path: '/api/setup', body: SetupRequest, response: UserReply })
/** The demo's logins by role (member, secretary, admin) and their common password. */
export const seedDemo = contract({
  method: 'POST',
  path: '/api/setup/demo',
  response: v.object({ accounts: v.record(v.string(), v.string()), password: v.string() }),
})

/** Signed in, or (two-factor login enrolled) the token for the second step, `/api/auth/login/verify`. */
export const login = contract({
  method: 'POST',
  path: '/api/auth/login',
  body: LoginRequest,
  response: v.union([UserReply, v.object({ twoFactor: v.object({ ticket: v.string() }) })]),
})
export const logout = contract({ method: 'POST', path: '/api/auth/logout', response: v.object({ ok: v.boolean() }) })
export const me = contract({ method: 'GET', path: '/api/auth/me', response: UserReply })
/** Setting one's password with a one-time activation code (a first activation or a reset). */
export const activate = contract({ method: 'POST', path: '/api/auth/activate', body: ActivateRequest, response: UserReply })

/** The server's clock (Unix ms). */
export const time = contract({ method: 'GET', path: '/api/time', response: v.object({ now: v.number() }) })

const Dialect = v.picklist(['sqlite', 'postgres'])
/** 200 ok; 503 degraded while writes fail for lack of space. */
export const health = contract({
  method: 'GET',
  path: '/api/health',
  response: v.variant('status', [
    v.object({ status: v.literal('ok'), database: Dialect, version: v.string() }),
    v.object({ status: v.literal('degraded'), storage: v.literal('full'), since: v.string(), database: Dialect, version: v.string() }),
  ]),
})
