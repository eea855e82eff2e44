import type { Change, Mutation } from '../../core/sync/protocol.ts'
import type { AccountDb, OutboxEntry } from '../db/account-db.ts'
import { REFILL_KEY, syncedTables } from '../db/account-db.ts'
import { catalogueAt, SCHEMA_VERSION } from '../../core/sync/schema-version.ts'
import type { SyncedTable } from '../../core/sync/tables.ts'

/** The fields a pulled row of each table has (this app's version): what a pending change may show on it. */
const PULLED = catalogueAt(SCHEMA_VERSION).pulled

/**
 * Local row = server row with this device's still-unacknowledged changes laid on top, in order.
 * Only fields a pulled row has are laid: a mutation's write-only fields (a sign-in's scanned code,
 * a paper's `handedIn`, a confirmation's `confirmed`) never become part of the row, which would
 * otherwise keep them after the change is acknowledged, unlike a fresh pull.
 */
export function rebase(row: Record<string, unknown>, pending: readonly Mutation[]): Record<string, unknown> {
  let out = row
  for (const m of pending) {
    if (m.op === 'delete') out = { ...out, deleted: true }
    else {
      const pulled = PULLED.get(m.table as SyncedTable)
      const fields = Object.entries(m.fields ?? {}).filter(([k]) => !pulled || pulled.has(k))
      out = { ...out, ...Object.fromEntries(fields) }
    }
  }
  return out
}

export function pendingFor(db: AccountDb, table: string, rowId: string): Promise<OutboxEntry[]> {
  return db.outbox.where('[table+rowId]').equals([table, rowId]).sortBy('seq')
}

/** Every row a pending change touches: kept across a reset so unsent work stays visible. */
async function rowsWithPendingChanges(db: AccountDb): Promise<Set<string>> {
  const keys = new Set<string>()
  await db.outbox.each((m) => keys.add(`${m.table}/${m.rowId}`))
  return keys
}

/**
 * While a restored server is being refilled (sync/refill.ts), rows the fresh pull delivers are
 * marked as held by the server (alive or as a tombstone): only the others are sent back.
 */
async function markDelivered(db: AccountDb, changes: readonly Change[]): Promise<void> {
  const saved = (await db.meta.get(REFILL_KEY))?.value as
    { rows: { table: string; row: { id?: unknown }; onServer?: boolean }[] } | undefined
  if (!saved || changes.length === 0) return
  const delivered = new Set(changes.map((c) => `${c.table}/${c.rowId}`))
  let marked = false
  for (const r of saved.rows) {
    if (!r.onServer && delivered.has(`${r.table}/${String(r.row.id)}`)) {
      r.onServer = true
      marked = true
    }
  }
  if (marked) await db.meta.put({ key: REFILL_KEY, value: saved })
}

/**
 * Apply one pulled page and move the cursor, in ONE transaction: a crash or a failure leaves
 * both as they were, and applying the same page twice gives the same state. A change for a table
 * this app does not have (a server newer than the app) is skipped and counted, never an error:
 * the cursor still moves (docs/sync.md, "Versions"). Fields the app does not know are kept.
 * Returns how many changes were skipped.
 */
export async function applyPage(db: AccountDb, changes: readonly Change[], cursor: string, reset: boolean): Promise<number> {
  const tables = syncedTables(db)
  const stores = new Set(tables.map((t) => t.name))
  let skipped = 0
  await db.transaction('rw', [...tables, db.outbox, db.meta], async () => {
    if (reset) {
      const keep = await rowsWithPendingChanges(db)
      for (const table of tables) {
        const ids = (await table.toCollection().primaryKeys()) as string[]
        await table.bulkDelete(ids.filter((id) => !keep.has(`${table.name}/${id}`)))
      }
    }
    await markDelivered(db, changes)
    skipped = 0
    // The outbox is read once per page and the rows written in one bulk call per table: two
    // IndexedDB requests per row, awaited one after another, made a 100,000-row pull take minutes.
    const pending = new Map<string, OutboxEntry[]>()
    if ((await db.outbox.count()) > 0) {
      for (const m of await db.outbox.orderBy('seq').toArray()) {
        const key = `${m.table}/${m.rowId}`
        const list = pending.get(key)
        if (list) list.push(m)
        else pending.set(key, [m])
      }
    }
    const writes = new Map<string, { put: Record<string, unknown>[]; del: string[] }>()
    for (const c of changes) {
      if (!stores.has(c.table)) {
        skipped++
        continue
      }
      const mine = pending.get(`${c.table}/${c.rowId}`) ?? []
      const w = writes.get(c.table) ?? { put: [], del: [] }
      writes.set(c.table, w)
      // A tombstone: keep the user's unsent edit visible; the server will refuse it and say why.
      if (c.deleted || !c.row) {
        if (mine.length === 0) w.del.push(c.rowId)
      } else w.put.push(rebase(c.row, mine))
    }
    for (const [table, w] of writes) {
      if (w.del.length) await db.table(table).bulkDelete(w.del)
      if (w.put.length) await db.table(table).bulkPut(w.put)
    }
    await db.meta.put({ key: 'cursor', value: cursor })
  })
  if (skipped > 0) console.warn(`sync: ${skipped} change(s) of tables this app does not have were skipped`)
  return skipped
}
