import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import { sessionForToken } from '../repositories/sessions.ts'
import { HttpError } from '../lib/http-error.ts'
import type { Viewer } from '../lib/viewer.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export const SESSION_COOKIE = 'sx_session'

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null
    /** The session was signed out from another device (lost phone): the client wipes its data. */
    signedOutRemotely: boolean
  }
}

export async function registerAuth(app: FastifyInstance, db: Kysely<Database>, read: Kysely<Database>): Promise<void> {
  await app.register(cookie)
  app.decorateRequest('viewer', null)
  app.decorateRequest('signedOutRemotely', false)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return
    const token = request.cookies[SESSION_COOKIE]
    if (!token) return
    const found = await sessionForToken(db, read, token)
    if (found && 'viewer' in found) request.viewer = found.viewer
    else if (found) request.signedOutRemotely = true
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
