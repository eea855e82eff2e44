import type { AccountDb } from '../db/account-db.ts'
import { createHook } from '../db/hooks.ts'

export interface SyncedEvent {
  /** The account database that has just synced. */
  db: AccountDb
}

const synced = createHook<SyncedEvent>('synced')

/**
 * After each successful sync: what goes up only once its records are on the server (photos)
 * subscribes here, so the sync store imports no feature.
 */
export const onSynced = synced.on
export const emitSynced = synced.emit
