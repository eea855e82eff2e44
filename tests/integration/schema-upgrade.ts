import { createHttpClient, type FetchFn } from '../../src/client/api/http.ts'
import { endpoints } from '../../src/client/api/endpoints.ts'
import { AccountDb } from '../../src/client/db/account-db.ts'
import { SCHEMA_HISTORY, SCHEMA_VERSION, type SchemaStep, type TableFields } from '../../src/core/sync/schema-version.ts'
import type { SyncedTable } from '../../src/core/sync/tables.ts'

/**
 * App upgrades in tests (docs/sync.md, "Versions"): a server one schema version ahead of today's
 * apps, an app database from before a table existed, and the app's update. Today's apps are
 * SCHEMA_VERSION; the server's new version is NEXT_SCHEMA.
 */
export const NEXT_SCHEMA = SCHEMA_VERSION + 1

/**
 * Today's history, with `tables` and `fields` moved out of the entries that added them into a new
 * last version: a server that has them, serving today's apps as apps that do not.
 */
export function laterHistory(later: { tables?: readonly SyncedTable[]; fields?: TableFields }): SchemaStep[] {
  const tables = new Set<string>(later.tables ?? [])
  const fields = later.fields ?? {}
  const moved: Record<string, string[]> = {}
  const earlier = SCHEMA_HISTORY.map((step): SchemaStep => {
    const added: Record<string, readonly string[]> = {}
    for (const [table, names] of Object.entries(step.added) as [SyncedTable, readonly string[]][]) {
      const late = new Set<string>(tables.has(table) ? names : (fields[table] ?? []))
      const kept = names.filter((n) => !late.has(n))
      if (kept.length > 0) added[table] = kept
      if (late.size > 0) moved[table] = [...(moved[table] ?? []), ...names.filter((n) => late.has(n))]
    }
    return { ...step, added: added as TableFields }
  })
  return [...earlier, { version: NEXT_SCHEMA, note: 'test: what today’s apps do not know yet', added: moved as TableFields }]
}

/** An app's database from before `missing` existed: those synced stores are absent. */
export class AccountDbWithout extends AccountDb {
  constructor(name: string, missing: readonly SyncedTable[]) {
    super(name)
    this.version(this.verno + 1).stores(Object.fromEntries(missing.map((t) => [t, null])))
  }
}

/** The API as an app of `schemaVersion` calls it (its push and pull carry that version). */
export function appApi(serverUrl: string, fetchFn: FetchFn, schemaVersion: number, timeoutMs?: number): ReturnType<typeof endpoints> {
  return endpoints(createHttpClient(serverUrl, fetchFn, timeoutMs), { schemaVersion })
}

/** The app is updated: its database is opened again by today's full AccountDb (Dexie adds the missing stores). */
export async function updatedApp(db: AccountDb): Promise<AccountDb> {
  db.close()
  const full = new AccountDb(db.name)
  await full.open()
  return full
}
