import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { CONSENT_KINDS, type ConsentKind } from '../../core/domain/privacy-notice.ts'
import { newId } from '../../core/ids.ts'
import { nowIso } from '../lib/time.ts'

export interface ConsentSnapshot {
  acceptedVersion: number | null
  acceptedAt: string | null
  consents: Record<ConsentKind, { granted: boolean; at: string } | null>
}

/** The person's latest acceptance of the notice and the latest decision of each consent. */
export async function consentSnapshot(db: Kysely<Database>, userId: string): Promise<ConsentSnapshot> {
  const rows = await db
    .selectFrom('consent_events')
    .select(['kind', 'version', 'granted', 'at'])
    .where('user_id', '=', userId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  const out: ConsentSnapshot = { acceptedVersion: null, acceptedAt: null, consents: { location: null, 'dues-base': null } }
  for (const r of rows) {
    if (r.kind === 'notice') {
      // The highest version accepted counts (an older acceptance never lowers it).
      if (out.acceptedVersion === null || Number(r.version) >= out.acceptedVersion) {
        out.acceptedVersion = Number(r.version)
        out.acceptedAt = r.at
      }
    } else if ((CONSENT_KINDS as readonly string[]).includes(r.kind)) {
      out.consents[r.kind as ConsentKind] = { granted: r.granted === 1, at: r.at }
    }
  }
  return out
}

/** Append one acceptance or decision: the log is never rewritten (who, what, which version, when). */
export async function recordConsent(
  db: Kysely<Database>,
  who: { id: string; orgId: string },
  kind: ConsentKind | 'notice',
  version: number,
  granted: boolean,
  at = nowIso(),
): Promise<void> {
  await db
    .insertInto('consent_events')
    .values({ id: newId(), org_id: who.orgId, user_id: who.id, kind, version, granted: granted ? 1 : 0, at })
    .execute()
}
