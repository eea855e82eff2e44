import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { nowIso } from '../lib/time.ts'
import type { Viewer } from '../sync/viewer.ts'
import type { Role } from '../../core/domain/roles.ts'

export const SESSION_DAYS = 180
const DAY = 24 * 60 * 60 * 1000

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** A random opaque token; only its hash is stored, so a copy of the database cannot sign anyone in. */
export async function createSession(db: Kysely<Database>, userId: string, userAgent: string): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  const now = new Date()
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
    })
    .execute()
  return token
}

export async function revokeSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: nowIso() }).where('token_hash', '=', hashToken(token)).execute()
}

/** The signed-in user behind a token, or null if unknown, revoked or expired. Extends an active session. */
export async function viewerForToken(db: Kysely<Database>, read: Kysely<Database>, token: string): Promise<Viewer | null> {
  const hash = hashToken(token)
  const row = await read
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.org_id', 'users.branch_id', 'users.role', 'sessions.expires_at', 'sessions.revoked_at', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', hash)
    .executeTakeFirst()
  if (!row || row.revoked_at || row.expires_at < nowIso()) return null
  // Sliding expiry, written at most once a day to keep reads cheap.
  if (Date.now() - Date.parse(row.last_seen_at) > DAY) {
    const now = new Date()
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString() })
      .where('token_hash', '=', hash)
      .execute()
  }
  return { id: row.id, orgId: row.org_id, branchId: row.branch_id, role: row.role as Role }
}
