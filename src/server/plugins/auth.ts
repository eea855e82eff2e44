import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import { hashToken, sessionForHash, touchElevated } from '../repositories/sessions.ts'
import type { SessionCache } from '../repositories/session-cache.ts'
import { push as pushContract } from '../../core/contracts/sync.ts'
import { BEFORE_ENROLMENT, type SecurityOptions } from '../lib/security-config.ts'
import { isManager } from '../../core/domain/authority.ts'
import { HttpError } from '../lib/http-error.ts'
import { errorBody } from '../../core/errors.ts'
import type { Viewer } from '../lib/viewer.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export const SESSION_COOKIE = 'sx_session'

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null
    /** The session was signed out from another device (lost phone): the client wipes its data. */
    signedOutRemotely: boolean
    /**
     * The push's session came from the session cache: the hash of its token, for the write to
     * check the session still holds (repositories/session-cache.ts). Null when looked up now.
     */
    sessionToVerify: string | null
  }
}

/** How often a session's administrative activity is written (the idle timeout's resolution). */
const ELEVATED_EVERY_MS = 60_000

export async function registerAuth(
  app: FastifyInstance,
  db: Kysely<Database>,
  read: Kysely<Database>,
  security: SecurityOptions,
  /** PostgreSQL: sessions a push may use unchecked until its write checks them (null: every request looks its session up). */
  cache: SessionCache | null = null,
): Promise<void> {
  await app.register(cookie)
  app.decorateRequest('viewer', null)
  app.decorateRequest('signedOutRemotely', false)
  app.decorateRequest('sessionToVerify', null)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return
    const token = request.cookies[SESSION_COOKIE]
    if (!token) return
    const hash = hashToken(token)
    const viaCache = cache !== null && request.method === pushContract.method && request.url === pushContract.path
    const kept = viaCache ? cache.get(hash) : undefined
    if (kept) {
      request.viewer = kept.viewer
      request.sessionToVerify = hash
      return
    }
    const found = await sessionForHash(db, read, hash)
    if (!found) return
    if (!('viewer' in found)) {
      request.signedOutRemotely = true
      return
    }
    if (viaCache) cache.keep(hash, found)
    const viewer = found.viewer
    request.viewer = viewer
    // Two-factor login guards the administrator's sign-in: until enrolled, nothing else.
    if (
      viewer.role === 'admin' &&
      security.requireAdminTwoFactor &&
      !found.twoFactor &&
      !found.demo &&
      !BEFORE_ENROLMENT.some((p) => request.url.startsWith(p))
    )
      throw new HttpError(403, 'two_factor_required')
    // The idle timeout of privileged work: a manager's administrative requests (people, roles,
    // the organisation, import, the audit log) after a pause longer than the setting ask for a new
    // sign-in. Sync and everything else on the phone go on: no unsent write is ever lost to it.
    if (security.managerIdleMinutes > 0 && isManager(viewer.role) && request.url.startsWith('/api/admin/')) {
      const now = security.clock()
      const idle = now - Date.parse(found.elevatedAt)
      if (idle > security.managerIdleMinutes * 60_000) throw new HttpError(401, 'reauth_required')
      if (idle > ELEVATED_EVERY_MS) await touchElevated(db, viewer.sessionId, new Date(now).toISOString())
    }
  })
  // A push whose session came from the cache and that was refused before its write could check the
  // session (a malformed body, a restore to catch up with): answered as a fresh lookup would have
  // answered it, 401 first, so that no answer depends on the cache.
  app.addHook('onSend', async (request, reply, payload) => {
    const hash = request.sessionToVerify
    if (!cache || !hash || reply.statusCode < 400 || reply.statusCode === 401) return payload
    const found = await sessionForHash(db, read, hash)
    if (found && 'viewer' in found) return payload
    cache.forget(hash)
    const code = found ? 'signed_out' : 'unauthorized'
    void reply.code(401)
    return JSON.stringify(errorBody(code))
  })
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure || request.protocol === 'https',
    path: '/api/',
    maxAge: 180 * 24 * 60 * 60,
  })
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/api/' })
}

/** The viewer of an authenticated route; refuses anonymous requests with 401. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (request.signedOutRemotely) throw new HttpError(401, 'signed_out')
  if (!request.viewer) throw new HttpError(401, 'unauthorized')
  return request.viewer
}
