import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { formatCursor, parseCursor, type Change, type PullResponse, type ResetReason } from '../../core/sync/protocol.ts'
import { SYNCED_TABLES, type SyncedTable } from '../../core/sync/tables.ts'
import { SCHEMA_VERSION } from '../../core/sync/schema-version.ts'
import { servedChange, servedTables, type ServedSchema } from './versions.ts'
import type { Viewer } from '../lib/viewer.ts'
import { tables } from './tables/index.ts'

/** Each served table's changes after a sequence number, as the viewer may see them, in wire shape (tables/). */
async function changesOf(
  db: Kysely<Database>,
  viewer: Viewer,
  after: number,
  limit: number,
  served: readonly SyncedTable[],
): Promise<Change[]> {
  return (await Promise.all(served.map((t) => tables[t].changes(db, viewer, after, limit)))).flat()
}

/**
 * One page of changes after the client's cursor, in server sequence order, limited to what the
 * viewer may see and to the tables and fields of the app's schema version (sync/versions.ts).
 * A cursor from another database, or ahead of this one (a restored backup), or served under an
 * older schema than the app now has, gets `reset: true` and the first page.
 */
export async function pull(
  db: Kysely<Database>,
  generation: { epoch: string; previousEpochs: ReadonlySet<string> },
  viewer: Viewer,
  cursor: string,
  limit: number,
  schema: ServedSchema = { version: SCHEMA_VERSION, catalogue: null },
): Promise<PullResponse> {
  const { epoch } = generation
  const counter = await db.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
  const head = Number(counter.value)
  const parsed = cursor === '' ? { epoch, seq: 0, scope: viewer.scopeVersion, schema: schema.version } : parseCursor(cursor)
  // A cursor of an earlier generation of this database (or ahead of it): the server was restored
  // and lost what came after the backup; the phone re-pulls and sends back what it wrote.
  // A person moved to another branch or given another role re-pulls from the start: rows they
  // may no longer see leave their devices (unsent changes are kept and pushed first). An app
  // updated since its cursor was served receives what was held back from its older version.
  const resetReason: ResetReason | null = !parsed
    ? 'database'
    : parsed.epoch !== epoch
      ? generation.previousEpochs.has(parsed.epoch)
        ? 'restored'
        : 'database'
      : parsed.seq > head
        ? 'restored'
        : parsed.scope !== viewer.scopeVersion
          ? 'scope'
          : parsed.schema < schema.version
            ? 'schema'
            : null
  const reset = resetReason !== null
  const after = reset ? 0 : (parsed?.seq ?? 0)

  // Tables the app does not know are not read: their rows are held back until it updates.
  const all = (await changesOf(db, viewer, after, limit + 1, servedTables(schema, SYNCED_TABLES))).sort((a, b) => a.seq - b.seq)
  const page = all.slice(0, limit)
  const hasMore = all.length > limit
  const last = page.at(-1)?.seq ?? after
  const next = formatCursor(epoch, hasMore ? last : Math.max(last, head), viewer.scopeVersion, schema.version)
  return { reset, ...(resetReason && { resetReason }), cursor: next, hasMore, changes: page.map((c) => servedChange(schema, c)) }
}
