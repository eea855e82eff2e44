import { newId } from '../../core/ids.ts'
import { MUTATION_VERSION, type Mutation } from '../../core/sync/protocol.ts'
import { WRITABLE, type SyncedRows, type WritableTable } from '../../core/sync/tables.ts'
import type { AccountDb } from './account-db.ts'
import { isQuotaError, StorageFullError } from './errors.ts'

type Listener = () => void
const listeners = new Set<Listener>()

/** Called after every committed local write (the sync engine schedules a push). */
export function onLocalWrite(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

async function commit(db: AccountDb, table: WritableTable, work: () => Promise<void>): Promise<void> {
  try {
    await db.transaction('rw', [db.table(table), db.outbox], work)
  } catch (err) {
    if (isQuotaError(err)) throw new StorageFullError()
    throw err
  }
  for (const l of listeners) l()
}

/**
 * THE write path: the row and its outbox entry are stored in one transaction, so there is never
 * a saved row the server will not hear of, nor a queued change without its row.
 * `fields` are what this write changes (every writable field for a new row).
 */
export async function writeRow<T extends WritableTable>(
  db: AccountDb,
  table: T,
  row: SyncedRows[T],
  fields: Record<string, unknown>,
): Promise<void> {
  await commit(db, table, async () => {
    const before = (await db.table(table).get(row.id)) as Record<string, unknown> | undefined
    const base: Record<string, unknown> = {}
    for (const f of WRITABLE[table].mergeText) if (before && f in fields) base[f] = before[f]
    await db.table(table).put(row)
    const m: Mutation = {
      id: newId(),
      table,
      op: 'upsert',
      rowId: row.id,
      fields,
      base,
      clientTime: new Date().toISOString(),
      v: MUTATION_VERSION,
    }
    await db.outbox.add(m)
  })
}

/** Deletes are tombstones: the local row is marked deleted and the delete is queued. */
export async function deleteRow(db: AccountDb, table: WritableTable, rowId: string): Promise<void> {
  await commit(db, table, async () => {
    await db.table(table).update(rowId, { deleted: true })
    const m: Mutation = { id: newId(), table, op: 'delete', rowId, clientTime: new Date().toISOString(), v: MUTATION_VERSION }
    await db.outbox.add(m)
  })
}
