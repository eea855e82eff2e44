import { newId } from '../../core/ids.ts'
import type { Mutation, PushResult } from '../../core/sync/protocol.ts'
import type { Api } from '../api/endpoints.ts'
import { ApiError, NetworkError } from '../api/http.ts'
import { SYNCED_STORES, type AccountDb, type OutboxEntry } from '../db/account-db.ts'
import { isQuotaError } from '../db/errors.ts'
import { applyPage, pendingFor, rebase } from './apply.ts'
import type { SyncOutcome } from './status.ts'

export interface EngineOptions {
  pushBatch?: number
  pullLimit?: number
}

/** The server did not answer every mutation of a batch: the rest are retried later, in order. */
class IncompleteBatch extends Error {}

const toMutation = ({ seq: _seq, ...m }: OutboxEntry): Mutation => m

/**
 * The client sync engine: push the outbox, then pull pages after the cursor.
 * Guarantees (docs/sync.md): an outbox entry leaves only on the server's answer; a refused
 * one moves to `rejected` with its reason and never blocks those behind it; a page and the
 * cursor are stored together; a reset keeps the outbox and re-pulls from the start.
 */
export class SyncEngine {
  private readonly pushBatch: number
  private readonly pullLimit: number

  constructor(
    private readonly db: AccountDb,
    readonly api: Pick<Api, 'push' | 'pull'>,
    opts: EngineOptions = {},
  ) {
    this.pushBatch = opts.pushBatch ?? 200
    this.pullLimit = opts.pullLimit ?? 500
  }

  async sync(): Promise<SyncOutcome> {
    try {
      await this.push()
      await this.pull()
      await this.db.meta.put({ key: 'lastSyncAt', value: new Date().toISOString() })
      return { ok: true }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return { ok: false, failure: err.code === 'signed_out' ? 'signed-out' : 'unauthorized' }
      if (err instanceof NetworkError) return { ok: false, failure: 'network' }
      if (isQuotaError(err)) return { ok: false, failure: 'storage-full' }
      if (err instanceof IncompleteBatch || err instanceof ApiError) return { ok: false, failure: 'server' }
      throw err
    }
  }

  async clientId(): Promise<string> {
    const row = await this.db.meta.get('clientId')
    if (typeof row?.value === 'string') return row.value
    const id = newId()
    await this.db.meta.put({ key: 'clientId', value: id })
    return id
  }

  async push(): Promise<void> {
    const clientId = await this.clientId()
    let size = this.pushBatch
    for (;;) {
      const batch = await this.db.outbox.orderBy('seq').limit(size).toArray()
      if (batch.length === 0) return
      let results: PushResult[]
      try {
        results = (await this.api.push({ clientId, mutations: batch.map(toMutation) })).results
      } catch (err) {
        // A batch the server cannot read at all: find the one bad mutation by sending one at a time,
        // then set it aside visibly so it never blocks the others.
        if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
          if (batch.length > 1) {
            size = 1
            continue
          }
          const only = batch[0] as OutboxEntry
          results = [{ id: only.id, status: 'rejected', code: err.code, message: err.message, row: undefined }]
        } else throw err
      }
      await this.settle(batch, results)
      if (results.length < batch.length) throw new IncompleteBatch()
      size = this.pushBatch
    }
  }

  /** Drop acknowledged entries; move refused ones to `rejected` and show the server's truth again. */
  private async settle(batch: OutboxEntry[], results: PushResult[]): Promise<void> {
    const byId = new Map(results.map((r) => [r.id, r]))
    const tables = SYNCED_STORES.map((t) => this.db.table(t))
    await this.db.transaction('rw', [...tables, this.db.outbox, this.db.rejected], async () => {
      for (const entry of batch) {
        const r = byId.get(entry.id)
        if (!r || entry.seq === undefined) continue
        await this.db.outbox.delete(entry.seq)
        if (r.status !== 'rejected') {
          // A delete the server holds as a tombstone: once nothing else is pending for the row, it
          // leaves this device too (a pull that brought the tombstone earlier kept it for us).
          if (entry.op === 'delete' && (await pendingFor(this.db, entry.table, entry.rowId)).length === 0) await this.db.table(entry.table).delete(entry.rowId)
          continue
        }
        const table = this.db.table(entry.table)
        const snapshot = ((await table.get(entry.rowId)) as Record<string, unknown> | undefined) ?? null
        await this.db.rejected.put({
          id: entry.id,
          mutation: toMutation(entry),
          code: r.code ?? 'bad_request',
          message: r.message ?? '服务器拒绝了此修改',
          snapshot,
          at: new Date().toISOString(),
        })
        if (r.row === undefined) continue // server state unknown: leave the row, the next pull corrects it
        const remaining = await pendingFor(this.db, entry.table, entry.rowId)
        if (r.row) await table.put(rebase(r.row, remaining))
        else if (remaining.length === 0) await table.delete(entry.rowId)
      }
    })
  }

  async pull(): Promise<void> {
    for (;;) {
      const cursor = (await this.db.meta.get('cursor'))?.value
      const page = await this.api.pull(typeof cursor === 'string' ? cursor : '', this.pullLimit)
      if (page.reset && typeof cursor === 'string' && cursor !== '') {
        // The server cannot honour our cursor (restored backup, new database): send what we
        // hold first, then take everything again.
        await this.push()
        const fresh = await this.api.pull('', this.pullLimit)
        await applyPage(this.db, fresh.changes, fresh.cursor, true)
        if (!fresh.hasMore) return
        continue
      }
      await applyPage(this.db, page.changes, page.cursor, page.reset)
      if (!page.hasMore) return
    }
  }
}
