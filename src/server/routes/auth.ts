import type { FastifyInstance } from 'fastify'
import * as contracts from '../../core/contracts/auth.ts'
import { HttpError } from '../lib/http-error.ts'
import { DUMMY_HASH, verifyPassword } from '../lib/passwords.ts'
import type { AppContext } from '../context.ts'
import { attemptLimiter } from '../lib/attempt-limits.ts'
import { findUserByPhone, sessionUser, signedIn } from '../repositories/users.ts'
import { createSession, revokeSession } from '../repositories/sessions.ts'
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../plugins/auth.ts'
import { publicRoute, route } from './route.ts'

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limiter = attemptLimiter(ctx.db, ctx.loginLimits)
  // Counted per address and, separately, per account (the phone number as normalised by the
  // shared schema, whatever spaces or digits it was typed with), in the database so every process
  // shares them; repeated failures lock the account for a while. Members behind one office NAT do
  // not lock each other out, and no answer says whether the account exists.
  publicRoute(app, contracts.login, {
    before: (request, reply) => limiter.fromAddress('login', request.ip, reply),
    handler: async ({ request, reply, body: input }) => {
      await limiter.forAccount('login', input.phone, reply)
      const user = await findUserByPhone(ctx.db, input.phone)
      // Not yet activated (no password set) costs the same time as a wrong password.
      const usable = user?.password_hash.startsWith('scrypt$') ? user.password_hash : DUMMY_HASH
      const ok = await verifyPassword(input.password, usable)
      if (!user || !ok || usable === DUMMY_HASH) {
        await limiter.failed('login', input.phone)
        throw new HttpError(401, 'invalid_credentials')
      }
      await limiter.succeeded(input.phone)
      const token = await createSession(ctx.db, user.id, request.headers['user-agent'] ?? '')
      setSessionCookie(request, reply, token, ctx.secureCookies)
      request.log.info({ userId: user.id }, 'login')
      return { user: await signedIn(ctx.db, user.id) }
    },
  })

  publicRoute(app, contracts.logout, {
    handler: async ({ request, reply }) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) await revokeSession(ctx.db, token)
      clearSessionCookie(reply)
      return { ok: true }
    },
  })

  route(app, contracts.me, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      const user = await sessionUser(ctx.db, viewer.id)
      if (!user) throw new HttpError(401, 'unauthorized')
      return { user }
    },
  })
}
