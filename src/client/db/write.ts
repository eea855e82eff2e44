import { newId } from '../../core/ids.ts'
import { MUTATION_VERSION, type Mutation } from '../../core/sync/protocol.ts'
import { WRITABLE, type SyncedRows, type WritableTable } from '../../core/sync/tables.ts'
import type { Table } from 'dexie'
import type { AccountDb } from './account-db.ts'
import { isQuotaError, StorageFullError, ValidationError } from './errors.ts'

/** The client's one validation error, for the repositories beside the write path they use. */
export { ValidationError }

/** The performance mark set each time a local write has committed. */
export const COMMITTED_MARK = 'suixing:write-committed'

type Listener = () => void
const listeners = new Set<Listener>()

/** Called after every committed local write (the sync engine schedules a push). */
export function onLocalWrite(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** What a batch writes: rows with their outbox entries, all in the batch's one transaction. */
export interface BatchWriter {
  /** Store the row and queue its change; `fields` are what this write changes (every writable field for a new row). */
  put<T extends WritableTable>(table: T, row: SyncedRows[T], fields: Record<string, unknown>): Promise<void>
  /** Deletes are tombstones: the local row is marked deleted and the delete is queued. */
  remove(table: WritableTable, rowId: string): Promise<void>
}

function writer(db: AccountDb): BatchWriter {
  return {
    async put(table, row, fields) {
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
    },
    async remove(table, rowId) {
      await db.table(table).update(rowId, { deleted: true })
      const m: Mutation = { id: newId(), table, op: 'delete', rowId, clientTime: new Date().toISOString(), v: MUTATION_VERSION }
      await db.outbox.add(m)
    },
  }
}

/**
 * THE write path: one user action (a visit with its photos and follow-ups, say) commits once.
 * Every row and its outbox entry are stored in one transaction, so there is never a saved row the
 * server will not hear of, nor a queued change without its row, nor half an action.
 * `tables` are the synced tables the batch writes or reads; `local` are stores of this phone only
 * (photo_blobs) written in the same transaction.
 */
export async function writeBatch(
  db: AccountDb,
  tables: readonly WritableTable[],
  work: (write: BatchWriter) => Promise<void>,
  local: readonly Table[] = [],
): Promise<void> {
  try {
    await db.transaction('rw', [...tables.map((t) => db.table(t)), db.outbox, ...local], () => work(writer(db)))
  } catch (err) {
    if (isQuotaError(err)) throw new StorageFullError()
    throw err
  }
  // On the performance timeline (DevTools, the bench): when a user's action was stored. Only the latest is kept.
  performance.clearMarks(COMMITTED_MARK)
  performance.mark(COMMITTED_MARK)
  for (const l of listeners) l()
}

/** One row and its outbox entry (a batch of one). */
export async function writeRow<T extends WritableTable>(
  db: AccountDb,
  table: T,
  row: SyncedRows[T],
  fields: Record<string, unknown>,
): Promise<void> {
  await writeBatch(db, [table], (w) => w.put(table, row, fields))
}

/** Deletes are tombstones: the local row is marked deleted and the delete is queued. */
export async function deleteRow(db: AccountDb, table: WritableTable, rowId: string): Promise<void> {
  await writeBatch(db, [table], (w) => w.remove(table, rowId))
}
