import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as contracts from '../../core/contracts/auth.ts'
import { loginVerify } from '../../core/contracts/security.ts'
import { HttpError } from '../lib/http-error.ts'
import { DUMMY_HASH, verifyPassword } from '../lib/passwords.ts'
import type { AppContext } from '../context.ts'
import { attemptLimiter } from '../lib/attempt-limits.ts'
import { findUserByPhone, markPasswordWeak, sessionUser, signedIn } from '../repositories/users.ts'
import { passwordProblem } from '../../core/domain/password-policy.ts'
import { createSession, hashToken, revokeSession } from '../repositories/sessions.ts'
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../plugins/auth.ts'
import { auditAs } from '../services/admin/audit.ts'
import {
  acceptCode,
  createChallenge,
  endChallenge,
  findChallenge,
  looksLikeRecoveryCode,
  secretKey,
  useRecoveryCode,
} from '../services/security/two-factor.ts'
import { publicRoute, route } from './route.ts'

/** A phone number as the audit log shows a failed login's account: enough to recognise, not to harvest. */
const masked = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '***')

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limiter = attemptLimiter(ctx.db, ctx.loginLimits, { clock: ctx.security.clock })
  const requireTwoFactor = ctx.security.requireAdminTwoFactor

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: { id: string }, how: string) {
    const token = await createSession(ctx.db, user.id, request.headers['user-agent'] ?? '', ctx.security.clock())
    setSessionCookie(request, reply, token, ctx.secureCookies)
    const signed = await signedIn(ctx.db, user.id, requireTwoFactor)
    await auditAs(ctx.db, request, { orgId: signed.orgId, actorId: user.id }, 'login', user.id, `${signed.name} 登录（${how}）`)
    request.log.info({ userId: user.id }, 'login')
    return { user: signed }
  }

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
        await auditAs(
          ctx.db,
          request,
          { orgId: null, actorId: user?.id ?? null },
          'login_failed',
          user?.id ?? null,
          `登录失败：${masked(input.phone)}`,
        )
        throw new HttpError(401, 'invalid_credentials')
      }
      // A password set before the policy (or by hand) that breaks it: the app asks for a new one after this login.
      await markPasswordWeak(ctx.db, user.id, passwordProblem(input.password, { phone: input.phone, name: user.name }) !== null)
      // Two-factor login enrolled: the password alone signs nobody in; the second step names the person by a short-lived token.
      if (user.totp_enabled_at) {
        return { twoFactor: { ticket: await createChallenge(ctx.db, user.id, request.headers['user-agent'] ?? '', ctx.security.clock()) } }
      }
      await limiter.succeeded(input.phone)
      return startSession(request, reply, user, '密码')
    },
  })

  // The second step: a code from the authenticator (accepted once) or a one-time recovery code.
  // Limited like the password (per address, per account, a lock after repeated failures) with an allowance of its own.
  publicRoute(app, loginVerify, {
    before: (request, reply) => limiter.fromAddress('totp', request.ip, reply),
    handler: async ({ request, reply, body: input }) => {
      const now = ctx.security.clock()
      const challenge = await findChallenge(ctx.db, input.ticket, now)
      if (!challenge) throw new HttpError(401, 'two_factor_expired')
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'phone', 'org_id'])
        .where('id', '=', challenge.userId)
        .where('removed_at', 'is', null)
        .executeTakeFirst()
      if (!user) throw new HttpError(401, 'two_factor_expired')
      await limiter.forAccount('totp', user.phone, reply)
      const key = await secretKey(ctx.db, ctx.security.secretKey)
      const byCode = /^\s*\d[\d\s]*$/.test(input.code)
      const ok = byCode
        ? await acceptCode(ctx.db, key, user.id, input.code, now)
        : looksLikeRecoveryCode(input.code) && (await useRecoveryCode(ctx.db, user.id, input.code))
      if (!ok) {
        await limiter.failed('totp', user.phone)
        await auditAs(
          ctx.db,
          request,
          { orgId: user.org_id, actorId: user.id },
          'two_factor_failed',
          user.id,
          `两步验证失败（${byCode ? '验证码' : '恢复码'}）`,
        )
        throw new HttpError(401, 'two_factor_invalid')
      }
      await endChallenge(ctx.db, input.ticket)
      await limiter.succeeded(user.phone)
      if (!byCode)
        await auditAs(ctx.db, request, { orgId: user.org_id, actorId: user.id }, 'recovery_code_used', user.id, '以恢复码完成两步验证')
      return startSession(request, reply, user, byCode ? '密码 + 验证码' : '密码 + 恢复码')
    },
  })

  publicRoute(app, contracts.logout, {
    handler: async ({ request, reply }) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) {
        await revokeSession(ctx.db, token)
        ctx.sessionCache?.forget(hashToken(token))
      }
      clearSessionCookie(reply)
      return { ok: true }
    },
  })

  route(app, contracts.me, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      const user = await sessionUser(ctx.db, viewer.id, requireTwoFactor)
      if (!user) throw new HttpError(401, 'unauthorized')
      return { user }
    },
  })
}
