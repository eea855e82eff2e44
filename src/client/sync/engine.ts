import { newId } from '../../core/ids.ts'
import type { Mutation, PushResult } from '../../core/sync/protocol.ts'
import { MAX_PULL_LIMIT } from '../../core/sync/limits.ts'
import type { Api } from '../api/endpoints.ts'
import { ApiError, NetworkError } from '../api/http.ts'
import { REFILL_KEY, syncedTables, type AccountDb, type OutboxEntry } from '../db/account-db.ts'
import { isQuotaError } from '../db/errors.ts'
import { holdLiveQueries } from '../db/live.ts'
import { applyPage, pendingFor, rebase } from './apply.ts'
import type { SyncOutcome } from './status.ts'

export interface EngineOptions {
  pushBatch?: number
  pullLimit?: number
}

/** A change waiting for its meeting or visit to reach the server is set aside (shown) after this. */
export const MAX_WAIT_MS = 30 * 24 * 3600 * 1000

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
    readonly api: Pick<Api, 'push' | 'pull' | 'me'>,
    opts: EngineOptions = {},
  ) {
    this.pushBatch = opts.pushBatch ?? 200
    // The largest page the server gives: a first pull of a large branch takes fewer transactions.
    this.pullLimit = opts.pullLimit ?? MAX_PULL_LIMIT
  }

  async sync(): Promise<SyncOutcome> {
    try {
      try {
        await this.push()
      } catch (err) {
        // The server was restored since our last pull: pull first (it remembers what we wrote
        // and sends it back), then send the rest of the outbox.
        if (!(err instanceof ApiError && err.code === 'reset_required')) throw err
        await this.pull(true)
        await this.push()
      }
      await this.pull()
      await this.db.meta.put({ key: 'lastSyncAt', value: new Date().toISOString() })
      return { ok: true }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401)
        return { ok: false, failure: err.code === 'signed_out' ? 'signed-out' : 'unauthorized' }
      if (err instanceof NetworkError) return { ok: false, failure: 'network' }
      if (isQuotaError(err)) return { ok: false, failure: 'storage-full' }
      if (err instanceof ApiError && err.code === 'storage_full') return { ok: false, failure: 'server-storage-full' }
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

  /**
   * Send the outbox in order, each entry at most once per call. Entries the server answers
   * `waiting` (their meeting or visit has not reached it yet) stay in the outbox, in place, and
   * go again at the next sync; later entries of the same row wait behind them unsent.
   */
  async push(): Promise<void> {
    const clientId = await this.clientId()
    const saved = (await this.db.meta.get('cursor'))?.value
    const cursor = typeof saved === 'string' && saved !== '' ? saved : undefined
    // A device that has pushed but never pulled tells which generation its pushes reached.
    const reached = cursor ? undefined : (await this.db.meta.get('epoch'))?.value
    const epoch = typeof reached === 'string' ? reached : undefined
    let size = this.pushBatch
    let after = 0
    const waitingRows = new Set<string>()
    for (;;) {
      const next = await this.db.outbox.where(':id').above(after).limit(size).toArray()
      if (next.length === 0) return
      const batch = next.filter((m) => !waitingRows.has(`${m.table}/${m.rowId}`))
      if (batch.length === 0) {
        after = next.at(-1)?.seq ?? after
        continue
      }
      let results: PushResult[]
      try {
        const answer = await this.api.push({
          clientId,
          ...(cursor && { cursor }),
          ...(epoch && { epoch }),
          mutations: batch.map(toMutation),
        })
        results = answer.results
        if (!cursor && answer.epoch && answer.epoch !== epoch) await this.db.meta.put({ key: 'epoch', value: answer.epoch })
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
      for (const r of results) {
        const entry = batch.find((m) => m.id === r.id)
        if (entry && r.status === 'rejected' && r.code === 'waiting') waitingRows.add(`${entry.table}/${entry.rowId}`)
      }
      after = batch.at(-1)?.seq ?? after
      size = this.pushBatch
    }
  }

  /** Drop acknowledged entries; move refused ones to `rejected` and show the server's truth again. */
  private async settle(batch: OutboxEntry[], results: PushResult[]): Promise<void> {
    const byId = new Map(results.map((r) => [r.id, r]))
    const tables = syncedTables(this.db)
    await this.db.transaction('rw', [...tables, this.db.outbox, this.db.rejected, this.db.scan_proofs], async () => {
      for (const entry of batch) {
        const r = byId.get(entry.id)
        if (!r || entry.seq === undefined) continue
        // Waiting for its meeting or visit: kept, unless it has waited longer than anyone would
        // or what it waits for was itself refused on this phone (it will never come).
        let result = r
        if (r.status === 'rejected' && r.code === 'waiting') {
          const refused = await this.parentRefused(entry)
          if (!refused && Date.now() - Date.parse(entry.clientTime) < MAX_WAIT_MS) continue
          // The server does not hold it (it never could): the row leaves the phone with the entry.
          result = { ...r, row: null, ...(refused && { message: `${refused}未被服务器接受，此项无法保存` }) }
        }
        await this.db.outbox.delete(entry.seq)
        const scan =
          entry.table === 'attendance'
            ? (entry.fields?.scan as { window: number; token: string; scannedAt: string } | undefined)
            : undefined
        if (r.status === 'applied' && scan)
          await this.db.scan_proofs.put({ id: entry.rowId, window: scan.window, token: scan.token, scannedAt: scan.scannedAt })
        if (r.status !== 'rejected') {
          // A delete the server holds as a tombstone: once nothing else is pending for the row, it
          // leaves this device too (a pull that brought the tombstone earlier kept it for us).
          if (entry.op === 'delete' && (await pendingFor(this.db, entry.table, entry.rowId)).length === 0)
            await this.db.table(entry.table).delete(entry.rowId)
          continue
        }
        const table = this.db.table(entry.table)
        const snapshot = ((await table.get(entry.rowId)) as Record<string, unknown> | undefined) ?? null
        await this.db.rejected.put({
          id: entry.id,
          mutation: toMutation(entry),
          code: result.code ?? 'bad_request',
          message: result.message ?? '服务器拒绝了此修改',
          snapshot,
          at: new Date().toISOString(),
        })
        if (result.row === undefined) continue // server state unknown: leave the row, the next pull corrects it
        const remaining = await pendingFor(this.db, entry.table, entry.rowId)
        // A tombstone answered for an edit of a row deleted elsewhere leaves the device like the
        // pulled tombstone would (the text the user wrote stays in the rejected entry).
        if (result.row && (result.row.deleted !== true || remaining.length > 0)) await table.put(rebase(result.row, remaining))
        else if (remaining.length === 0) await table.delete(entry.rowId)
      }
    })
  }

  /** What a waiting change waits for, if this phone saw that refused: the parent's name, else null. */
  private async parentRefused(entry: OutboxEntry): Promise<string | null> {
    const f = entry.fields ?? {}
    const parents: [string, unknown, string][] =
      entry.table === 'attendance' || (entry.table === 'makeups' && 'meetingId' in f)
        ? [['meetings', f.meetingId, '所属的会议']]
        : entry.table === 'followups' && 'visitId' in f
          ? [['visits', f.visitId, '所属的走访记录']]
          : entry.table === 'visits'
            ? [['households', f.householdId, '所走访的联系户']]
            : [[entry.table, entry.rowId, '这条记录']]
    // Closing a follow-up: it never comes if its own creation or its visit's was refused.
    if (entry.table === 'followups' && !('visitId' in f)) {
      const row = await this.db.followups.get(entry.rowId)
      if (row) parents.push(['visits', row.visitId, '所属的走访记录'])
    }
    for (const [table, rowId, name] of parents) {
      // Only a refused creation (every field, with createdAt) means the parent will never come.
      const refused = await this.db.rejected
        .filter(
          (x) =>
            x.mutation.table === table &&
            x.mutation.rowId === rowId &&
            x.mutation.op === 'upsert' &&
            'createdAt' in (x.mutation.fields ?? {}),
        )
        .count()
      if (refused > 0) return name
    }
    return null
  }

  /**
   * Pull pages after the cursor. `restored`: the server said it was restored since this device
   * last reached it (a push answered reset_required, perhaps before the device ever pulled).
   */
  async pull(restored = false): Promise<void> {
    // Many pages (a first pull, a reset): live queries pause and are read again once at the end,
    // instead of after every page (see holdLiveQueries).
    let release: (() => void) | undefined
    try {
      await this.pullPages(restored, () => (release ??= holdLiveQueries()))
    } finally {
      release?.()
    }
    if (await this.db.meta.get(REFILL_KEY)) {
      // Send back what the restored server lacks, then pull what that changed on the server.
      if ((await (await import('./refill.ts')).refillRemembered(this.db)) > 0) {
        await this.push()
        await this.pull()
      }
    }
  }

  /** The pages of one pull; `manyPages` is called when a page says more follow. */
  private async pullPages(restored: boolean, manyPages: () => void): Promise<void> {
    for (let first = true; ; first = false) {
      const cursor = (await this.db.meta.get('cursor'))?.value
      const page =
        restored && first
          ? ({ reset: true, resetReason: 'restored' } as const)
          : await this.api.pull(typeof cursor === 'string' ? cursor : '', this.pullLimit)
      if (page.reset && ((typeof cursor === 'string' && cursor !== '') || (restored && first))) {
        // The server cannot honour our cursor (restored backup, new database, new scope).
        if (page.resetReason === 'restored') {
          // A restored server lost what came after its backup: remember what this person wrote,
          // before anything is dropped, to send it back once the fresh pull has shown what the
          // server still has (the outbox goes after, behind the rows it changes).
          const { user } = await this.api.me()
          await (await import('./refill.ts')).rememberAuthored(this.db, user)
        } else {
          // Send what we hold first, then take everything again.
          await this.push()
        }
        const fresh = await this.api.pull('', this.pullLimit)
        await applyPage(this.db, fresh.changes, fresh.cursor, true)
        if (!fresh.hasMore) break
        manyPages()
        continue
      }
      if (!('changes' in page)) break
      await applyPage(this.db, page.changes, page.cursor, page.reset)
      if (!page.hasMore) break
      manyPages()
    }
  }
}
