import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { hotQuery } from '../db/hot-statements.ts'
import { nowIso } from '../lib/time.ts'
import type { DeviceSession } from '../../core/contracts/account.ts'
import type { Viewer } from '../lib/viewer.ts'

export const SESSION_DAYS = 180
const DAY = 24 * 60 * 60 * 1000
/** How stale a session's last use may be before a request records it again. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** A random opaque token; only its hash is stored, so a copy of the database cannot sign anyone in. */
export async function createSession(db: Kysely<Database>, userId: string, userAgent: string, at = Date.now()): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  const now = new Date(at)
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString(),
      revoked_at: null,
      user_agent: userAgent.slice(0, 300),
      id: randomUUID(),
      revoked_reason: null,
      elevated_at: now.toISOString(),
    })
    .execute()
  return token
}

export async function revokeSession(db: Kysely<Database>, token: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: nowIso(), revoked_reason: 'logout' })
    .where('token_hash', '=', hashToken(token))
    .execute()
}

export interface SessionFound {
  viewer: Viewer
  /** Two-factor login is enrolled. */
  twoFactor: boolean
  /** The demo organisation (administrators need not enrol). */
  demo: boolean
  /** The session's last administrative request or sign-in. */
  elevatedAt: string
}
export type SessionLookup = SessionFound | { signedOut: 'remote' } | null

/** Behind every request: a hot statement (built once; on PostgreSQL planned once per connection). */
const lookUp = hotQuery('session', (db: Kysely<Database>, hash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organizations', 'organizations.id', 'users.org_id')
    .select([
      'users.totp_enabled_at',
      'organizations.demo',
      'sessions.elevated_at',
      'users.id',
      'users.org_id',
      'users.branch_id',
      'users.role',
      'users.scope_version',
      'users.removed_at',
      'sessions.id as session_id',
      'sessions.expires_at',
      'sessions.revoked_at',
      'sessions.revoked_reason',
      'sessions.last_seen_at',
    ])
    .where('sessions.token_hash', '=', hash),
)

/**
 * The signed-in user behind a token, or null if unknown, expired or signed out on the device
 * itself; `signedOut: 'remote'` when it was signed out from elsewhere (a lost phone): the device
 * is told so and wipes that account's data. Extends an active session.
 */
export function sessionForToken(db: Kysely<Database>, read: Kysely<Database>, token: string): Promise<SessionLookup> {
  return sessionForHash(db, read, hashToken(token))
}

/** The same, by the token's hash (what the database and the session cache hold). */
export async function sessionForHash(db: Kysely<Database>, read: Kysely<Database>, hash: string): Promise<SessionLookup> {
  const [row] = await lookUp(read, hash)
  if (!row) return null
  if (row.revoked_at) return row.revoked_reason === 'remote' ? { signedOut: 'remote' } : null
  if (row.removed_at) return { signedOut: 'remote' }
  if (row.expires_at < nowIso()) return null
  // Last use (the devices page tells phones apart by it) and the sliding expiry, written at most
  // every few minutes to keep reads cheap.
  if (Date.now() - Date.parse(row.last_seen_at) > LAST_SEEN_EVERY_MS) {
    const now = new Date()
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString() })
      .where('token_hash', '=', hash)
      .execute()
  }
  return {
    viewer: {
      id: row.id,
      orgId: row.org_id,
      branchId: row.branch_id,
      role: row.role,
      scopeVersion: Number(row.scope_version),
      sessionId: row.session_id ?? '',
    },
    twoFactor: row.totp_enabled_at !== null,
    demo: Number(row.demo) === 1,
    elevatedAt: row.elevated_at ?? row.last_seen_at,
  }
}

/** The session's administrative activity, now (the idle timeout counts from it). */
export async function touchElevated(db: Kysely<Database>, sessionId: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ elevated_at: at }).where('id', '=', sessionId).execute()
}

/**
 * Sign out sessions from elsewhere: their devices wipe the account's local data at next contact.
 * All of the person's sessions, or one (`sessionId`), or all but one (`exceptSessionId`: the
 * device asking).
 */
export async function revokeRemotely(
  db: Kysely<Database>,
  where: { userId: string; sessionId?: string; exceptSessionId?: string },
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: nowIso(), revoked_reason: 'remote' })
    .where('user_id', '=', where.userId)
    .where('revoked_at', 'is', null)
  if (where.sessionId) q = q.where('id', '=', where.sessionId)
  if (where.exceptSessionId !== undefined) q = q.where('id', '!=', where.exceptSessionId)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function activeSessions(db: Kysely<Database>, userId: string, currentId: string): Promise<DeviceSession[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id ?? '',
    device: r.user_agent,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    current: r.id === currentId,
  }))
}
