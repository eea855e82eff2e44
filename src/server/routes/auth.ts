import type { FastifyInstance } from 'fastify'
import { LoginRequest } from '../../core/schemas/auth.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { DUMMY_HASH, verifyPassword } from '../lib/passwords.ts'
import type { AppContext } from '../context.ts'
import { findUserByPhone, sessionUser } from '../repositories/users.ts'
import { createSession, revokeSession } from '../repositories/sessions.ts'
import { clearSessionCookie, requireViewer, SESSION_COOKIE, setSessionCookie } from '../plugins/auth.ts'

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/auth/login',
    // Per address and account: members behind one office NAT do not lock each other out.
    // The message never says whether the account exists.
    {
      config: {
        rateLimit: {
          max: ctx.loginAttemptsPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `${req.ip}|${String((req.body as { phone?: unknown } | null)?.phone ?? '').slice(0, 20)}`,
        },
      },
    },
    async (request, reply) => {
      const input = parseInput(LoginRequest, request.body)
      const user = await findUserByPhone(ctx.db, input.phone)
      // Not yet activated (no password set) costs the same time as a wrong password.
      const usable = user?.password_hash.startsWith('scrypt$') ? user.password_hash : DUMMY_HASH
      const ok = await verifyPassword(input.password, usable)
      if (!user || !ok || usable === DUMMY_HASH) throw new HttpError(401, 'invalid_credentials')
      const token = await createSession(ctx.db, user.id, request.headers['user-agent'] ?? '')
      setSessionCookie(request, reply, token, ctx.secureCookies)
      request.log.info({ userId: user.id }, 'login')
      return { user: await sessionUser(ctx.db, user.id) }
    },
  )

  app.post('/api/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token) await revokeSession(ctx.db, token)
    clearSessionCookie(reply)
    return { ok: true }
  })

  app.get('/api/auth/me', async (request) => {
    const viewer = requireViewer(request)
    const user = await sessionUser(ctx.db, viewer.id)
    if (!user) throw new HttpError(401, 'unauthorized')
    return { user }
  })
}
