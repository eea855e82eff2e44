import { sql, type Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import { executeHot } from '../db/hot-statements.ts'
import type { Database } from '../db/schema.ts'
import { MIN_MUTATION_VERSION, MUTATION_VERSION, type Mutation, type PushResult } from '../../core/sync/protocol.ts'
import { WRITABLE_TABLES, type WritableTable } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { isStorageFull, isWriteConflict, type StorageState } from '../lib/storage.ts'
import type { Viewer } from '../lib/viewer.ts'
import type { SessionCache } from '../repositories/session-cache.ts'
import { sessionForHash } from '../repositories/sessions.ts'
import { PendingSeqs } from '../repositories/sequence.ts'
import { tables } from './tables/index.ts'
import type { GuardedWrite, WriteBuffer } from './table-module.ts'

/** A fresh write buffer for each table that has one (tables/index.ts). */
function writeBuffers(): Map<WritableTable, WriteBuffer> {
  const buffers = new Map<WritableTable, WriteBuffer>()
  for (const table of WRITABLE_TABLES) {
    const batch = tables[table].batch
    if (batch) buffers.set(table, batch())
  }
  return buffers
}

/** Bring a mutation written by an older client to the current format (none needed yet). */
function upgrade(m: Mutation): Mutation {
  if (m.v < MIN_MUTATION_VERSION || m.v > MUTATION_VERSION) throw new HttpError(422, 'unsupported_version')
  return m
}

/** Statements carry at most this many mutation ids (SQLite and PostgreSQL limit the parameters of one statement). */
const IDS_PER_STATEMENT = 500

/**
 * Claim the mutation ids of every batch of a group commit before anything is applied, in one
 * order (sorted), so that two transactions carrying the same ids (two server processes, two
 * tabs, a retry racing the original) take their locks in the same order and never deadlock: the
 * second waits for the first and then finds the ids taken. An id in two batches of the group is
 * claimed for the first. Returns, for each batch, the ids it holds.
 */
async function claimAll(trx: Kysely<Database>, jobs: readonly Job[]): Promise<Set<string>[]> {
  const owner = new Map<string, number>()
  jobs.forEach((job, i) => {
    for (const m of job.mutations) if (!owner.has(m.id)) owner.set(m.id, i)
  })
  const ids = [...owner.keys()].sort()
  const held = jobs.map(() => new Set<string>())
  const createdAt = nowIso()
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const chunk = ids.slice(i, i + IDS_PER_STATEMENT)
    const claimed = await trx
      .insertInto('mutations')
      .values(chunk.map((id) => ({ id, user_id: (jobs[owner.get(id) ?? 0] as Job).viewer.id, result: '', created_at: createdAt })))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute()
    for (const { id } of claimed) held[owner.get(id) ?? 0]?.add(id)
  }
  return held
}

/**
 * Ids claimed but not answered with a stored result (waiting, after an unexpected failure, in a
 * batch rolled back) are given up before the commit: nothing is recorded under them, and the
 * same mutation sent again is applied then.
 */
async function releaseUnstored(trx: Kysely<Database>, held: readonly Set<string>[]): Promise<void> {
  const ids = held.flatMap((s) => [...s])
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    await trx
      .deleteFrom('mutations')
      .where('result', '=', '')
      .where('id', 'in', ids.slice(i, i + IDS_PER_STATEMENT))
      .execute()
  }
}

/**
 * Undo back to a savepoint. If the savepoint is gone, the whole transaction is (SQLite ends it by
 * itself on SQLITE_FULL or an I/O error): the transaction fails with the error that ended it.
 */
async function rollbackTo(trx: Kysely<Database>, savepoint: 'mutation' | 'job', cause: unknown): Promise<void> {
  try {
    await sql`rollback to savepoint ${sql.raw(savepoint)}`.execute(trx)
    await sql`release savepoint ${sql.raw(savepoint)}`.execute(trx)
  } catch {
    throw cause
  }
}

/**
 * What a group commit applied in batched mode (commitGroup with `batched`): the mutations of tables
 * with a write buffer (study records) are planned in memory and written in a few multi-row
 * statements at the end, and every result is
 * stored in one statement before the commit. Nothing of the group has a savepoint of its own
 * then: any unexpected failure abandons the whole transaction, and the group is applied again
 * one mutation at a time (each in its savepoint), which answers partially as before.
 */
interface Batched {
  buffers: Map<WritableTable, WriteBuffer>
  /** Results to store under their ids, with the account that sent them. */
  results: Map<string, { userId: string; result: PushResult }>
}

/**
 * Apply one client's batch inside an open transaction, each mutation in its own savepoint (or,
 * batched, planned first and written at the end: see Batched). The result of each (applied or
 * rejected) is stored under the mutation id in the same transaction as its effect, so a retry
 * gets the stored result back and never applies twice. An unexpected failure stops the batch:
 * the mutations before it are answered; the rest get no answer and are retried by the client, in
 * order. `held` are the ids this transaction claimed for the batch (claimAll); any other id was
 * taken before, and its stored result is answered.
 */
async function applyBatch(
  trx: Kysely<Database>,
  seqs: PendingSeqs,
  viewer: Viewer,
  mutations: Mutation[],
  held: ReadonlySet<string>,
  log: FastifyBaseLogger,
  batched?: Batched,
): Promise<PushResult[]> {
  const results: PushResult[] = []
  // Rows with a mutation waiting for its meeting or visit: their later mutations wait too, in order.
  const waiting = new Set<string>()
  const waitResult = (raw: Mutation, message: string): PushResult => {
    waiting.add(`${raw.table}/${raw.rowId}`)
    return { id: raw.id, status: 'rejected', code: 'waiting', message }
  }
  const store = async (result: PushResult): Promise<void> => {
    if (batched) batched.results.set(result.id, { userId: viewer.id, result })
    else
      await trx
        .updateTable('mutations')
        .set({ result: JSON.stringify(result) })
        .where('id', '=', result.id)
        .execute()
    results.push(result)
  }
  const handled = new Set<string>()
  for (const raw of mutations) {
    if (waiting.has(`${raw.table}/${raw.rowId}`)) {
      results.push(waitResult(raw, '同一记录的前一项修改还在等待，联网后会自动重试'))
      continue
    }
    if (!held.has(raw.id) || handled.has(raw.id)) {
      // Taken by another transaction (which committed before our claim returned) or earlier in this one.
      const stored = batched?.results.get(raw.id)
      const answer = stored ? sameOwner(raw.id, viewer, stored.userId, stored.result) : await storedResult(trx, viewer, raw.id)
      // Answered again from its stored result: the phone may have laid this change on a version of
      // the row pulled since (or kept its own over a tombstone) and takes the answer as final, so the
      // row goes out again and its next pull brings the server's version.
      if (answer?.duplicate) seqs.mark(raw.table, raw.rowId)
      results.push(answer ?? waitResult(raw, '同一修改正在另一次同步中处理，稍后会自动重试'))
      continue
    }
    handled.add(raw.id)
    const buffer = batched?.buffers.get(raw.table)
    if (buffer) {
      // Planned in memory: a refusal is thrown before any effect, so no savepoint is needed.
      try {
        await buffer.apply(trx, viewer, upgrade(raw), seqs)
        await store({ id: raw.id, status: 'applied' })
      } catch (err) {
        if (!(err instanceof HttpError) || err.code === 'waiting') throw err
        // The row as the server holds it, this batch's earlier changes included.
        if (buffer.hasPending(raw.rowId)) await buffer.flush(trx)
        await store({
          id: raw.id,
          status: 'rejected',
          code: err.code,
          message: err.message,
          row: await tables[raw.table].visibleRow(trx, viewer, raw.rowId),
        })
      }
      continue
    }
    // Other tables read the database: what the batch planned is written first.
    for (const planned of batched?.buffers.values() ?? []) if (planned.hasPending()) await planned.flush(trx)
    await sql`savepoint mutation`.execute(trx)
    let result: PushResult
    try {
      const m = upgrade(raw)
      await tables[m.table].apply(trx, viewer, m, seqs)
      result = { id: m.id, status: 'applied' }
      await sql`release savepoint mutation`.execute(trx)
    } catch (err) {
      await rollbackTo(trx, 'mutation', err)
      // No room to store anything: the whole commit fails and nothing is acknowledged (507).
      if (isStorageFull(err)) throw err
      if (!(err instanceof HttpError)) {
        if (isWriteConflict(err)) log.warn({ err, mutation: raw.id }, 'push: write conflict with another transaction, stopping batch')
        else log.error({ err, mutation: raw.id }, 'push: unexpected failure, stopping batch')
        break
      }
      if (err.code === 'waiting') {
        // Its meeting, visit or household has not reached the server yet: nothing is recorded
        // under the id (releaseUnstored), so the same mutation is applied when the phone sends it again.
        results.push(waitResult(raw, err.message))
        continue
      }
      result = {
        id: raw.id,
        status: 'rejected',
        code: err.code,
        message: err.message,
        row: await tables[raw.table].visibleRow(trx, viewer, raw.rowId),
      }
    }
    await store(result)
  }
  return results
}

/** A stored result answered again: to its own account as a duplicate, to another as a conflict. */
function sameOwner(id: string, viewer: Viewer, userId: string, result: PushResult): PushResult {
  if (userId !== viewer.id) return { id, status: 'rejected', code: 'conflict', message: '变更编号重复' }
  return { ...result, duplicate: true }
}

/** The stored result of a mutation id taken before; null if it is held in this transaction without one. */
async function storedResult(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<PushResult | null> {
  const seen = await trx.selectFrom('mutations').select(['user_id', 'result']).where('id', '=', id).executeTakeFirst()
  if (seen && seen.user_id !== viewer.id) return { id, status: 'rejected', code: 'conflict', message: '变更编号重复' }
  if (!seen || seen.result === '') return null
  return { ...(JSON.parse(seen.result) as PushResult), duplicate: true }
}

/**
 * Store the results of a batched group in one statement per 500 ids, and give up (as
 * releaseUnstored) the ids claimed without a result.
 */
async function storeResults(trx: Kysely<Database>, held: readonly Set<string>[], results: Batched['results']): Promise<void> {
  const entries = [...results.entries()]
  for (let i = 0; i < entries.length; i += IDS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + IDS_PER_STATEMENT)
    const cases = sql.join(
      chunk.map(([id, r]) => sql`when ${id} then ${JSON.stringify(r.result)}`),
      sql` `,
    )
    await sql`update mutations set result = case id ${cases} end where id in (${sql.join(chunk.map(([id]) => id))})`.execute(trx)
  }
  const unstored = held.flatMap((s) => [...s].filter((id) => !results.has(id)))
  for (let i = 0; i < unstored.length; i += IDS_PER_STATEMENT) {
    await trx
      .deleteFrom('mutations')
      .where('result', '=', '')
      .where('id', 'in', unstored.slice(i, i + IDS_PER_STATEMENT))
      .execute()
  }
}

/** The largest group the one-statement flush takes (its JSON parameters grow with it); a bigger one is committed in a transaction. */
const ONE_STATEMENT_MUTATIONS = 2000
/** What the one statement fails with when one of its checks does not hold (commitInOneStatement). */
const GUARD = 'push_flush_guard'

/** A write buffer that can take part in the one-statement flush. */
type GuardedBuffer = WriteBuffer & Required<Pick<WriteBuffer, 'guardedWrites' | 'assumeAbsent'>>

/**
 * PostgreSQL: a group commit without an explicit transaction, in one or two round trips. Every
 * mutation is planned in memory by its table's write buffer (its `apply`: the same merge rules and
 * refusals as ever) against the rows as `mode` says, then ONE statement claims the mutation ids
 * with their results (in sorted order), takes the group's numbers from the counter and writes
 * every row numbered, each part a CTE. A statement is its own transaction: it commits (durably)
 * whole or not at all, and the counter row stays locked from the numbering to the commit, so
 * numbers still become visible in commit order.
 *
 * - `read`: the rows the group touches are read first (one select per table);
 * - `new`: no read: every row is taken to be absent (a phone's new records, the common push),
 *   which only stands if every mutation creates its row; anything else is `not-taken`.
 *
 * The statement fails (GUARD) unless every part did all it says: every id was still free, and
 * every row still as planned on (absent, or with the seq read). Then nothing of it is kept and
 * `conflict` is answered. `not-taken`, before anything is written: a group this path does not
 * take (a table without a guarded write buffer, an id twice, a refusal, whose answer needs the
 * row as the server holds it, too many mutations). Either way the caller commits the group in a
 * transaction, as before.
 */
export async function commitInOneStatement(
  db: Kysely<Database>,
  jobs: readonly Pick<Job, 'viewer' | 'mutations' | 'verify'>[],
  mode: 'read' | 'new',
): Promise<Outcome[] | 'not-taken' | 'conflict'> {
  const ids = new Set<string>()
  const buffers = new Map<WritableTable, GuardedBuffer>()
  const rowIds = new Map<WritableTable, string[]>()
  for (const job of jobs) {
    for (const m of job.mutations) {
      if (ids.has(m.id)) return 'not-taken'
      ids.add(m.id)
      if (!buffers.has(m.table)) {
        const buffer = tables[m.table].batch?.()
        if (!buffer?.guardedWrites || !buffer.assumeAbsent) return 'not-taken'
        buffers.set(m.table, buffer as GuardedBuffer)
        rowIds.set(m.table, [])
      }
      rowIds.get(m.table)?.push(m.rowId)
    }
  }
  if (ids.size > ONE_STATEMENT_MUTATIONS) return 'not-taken'
  if (ids.size === 0) return jobs.map(() => ({ ok: true, results: [] }))
  for (const [table, buffer] of buffers) {
    if (mode === 'read') await buffer.load(db, rowIds.get(table) ?? [])
    else buffer.assumeAbsent(rowIds.get(table) ?? [])
  }

  const seqs = new PendingSeqs()
  const claims: { id: string; user_id: string; result: string }[] = []
  const outcomes: Outcome[] = []
  for (const job of jobs) {
    const results: PushResult[] = []
    for (const m of job.mutations) {
      // Unread, a deletion is not taken to be of an absent row (it would be planned as a tombstone).
      if (mode === 'new' && m.op === 'delete') return 'not-taken'
      try {
        const changed = await buffers.get(m.table)?.apply(db, job.viewer, upgrade(m), seqs)
        // Taken to be absent, a row this mutation leaves alone could be there: nothing would check it.
        if (mode === 'new' && !changed) return 'not-taken'
      } catch (err) {
        if (err instanceof HttpError) return 'not-taken'
        throw err
      }
      const result: PushResult = { id: m.id, status: 'applied' }
      results.push(result)
      claims.push({ id: m.id, user_id: job.viewer.id, result: JSON.stringify(result) })
    }
    outcomes.push({ ok: true, results })
  }
  // In the order claimAll takes them (code units, which collation "C" keeps whatever the database's).
  claims.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  const numbered = seqs.size
  const number = sql<number>`(select "value" - ${numbered} from seq_counter)`
  const ready = sql<boolean>`exists (select 1 from seq_counter)`
  const parts: GuardedWrite[] = [...buffers].flatMap(([table, buffer]) => buffer.guardedWrites(seqs.positions(table), number, ready))
  const ctes = [
    sql`claimed as (insert into mutations ("id", "user_id", "result", "created_at")
      select c."id", c."user_id", c."result", ${nowIso()} from json_to_recordset(${JSON.stringify(claims)}::json) as c("id" text, "user_id" text, "result" text)
      order by c."id" collate "C" on conflict ("id") do nothing returning "id")`,
  ]
  const checks = [sql`(select count(*) from claimed) = ${claims.length}`]
  // Locks are taken in a transaction's order: the ids (sorted), the rows to update, then the
  // counter (its condition reads every part before it), then the rows written.
  const before = [sql`(select count(*) from claimed) = ${claims.length}`]
  const named = parts.map((part, i) => ({ ...part, name: sql.raw(`w${i}`) }))
  for (const part of named.filter((p) => p.lock)) {
    ctes.push(sql`${part.name} as (${part.query})`)
    before.push(sql`(select count(*) from ${part.name}) = ${part.rows}`)
  }
  if (numbered > 0) {
    ctes.push(
      sql`seq_counter as (update counters set "value" = "value" + ${numbered} where "name" = 'seq' and ${sql.join(before, sql` and `)} returning "value")`,
    )
    checks.push(ready)
  }
  for (const part of named.filter((p) => !p.lock)) ctes.push(sql`${part.name} as (${part.query})`)
  for (const part of named) checks.push(sql`(select count(*) from ${part.name}) = ${part.rows}`)
  // Sessions taken from the session cache: still open, and the person as the cache has them.
  const sessions = new Map<string, Viewer>()
  for (const job of jobs) if (job.verify) sessions.set(job.verify, job.viewer)
  if (sessions.size > 0) checks.push(sessionsStillHold(sessions))
  try {
    // Hot: for a given mix of tables and kinds of write the text is the same (every value is a parameter).
    const statement = sql`with ${sql.join(ctes)} select cast(case when ${sql.join(checks, sql` and `)} then '1' else ${sql.lit(GUARD)} end as integer) as ok`
    await executeHot(db, 'push_flush', statement.compile(db))
  } catch (err) {
    if (err instanceof Error && err.message.includes(GUARD)) return 'conflict'
    throw err
  }
  return outcomes
}

/**
 * True when every session (by token hash) is open, unexpired, and its person not removed and of
 * the role, organisation, branch and scope the viewer was made with: what a fresh lookup would
 * give (repositories/sessions.ts, sessionForHash), checked in the statement that writes.
 */
function sessionsStillHold(sessions: ReadonlyMap<string, Viewer>) {
  const expected = [...sessions].map(([h, v]) => ({ h, id: v.id, role: v.role, org: v.orgId, branch: v.branchId, sv: v.scopeVersion }))
  return sql<boolean>`(select count(*) from json_to_recordset(${JSON.stringify(expected)}::json)
      as v("h" text, "id" text, "role" text, "org" text, "branch" text, "sv" integer)
    join sessions as s on s."token_hash" = v."h" and s."user_id" = v."id"
    join users as u on u."id" = s."user_id"
    where s."revoked_at" is null and s."expires_at" > ${nowIso()} and u."removed_at" is null and u."role" = v."role"
      and u."org_id" = v."org" and u."branch_id" is not distinct from v."branch" and u."scope_version" = v."sv") = ${sessions.size}`
}

export type Outcome = { ok: true; results: PushResult[] } | { ok: false; err: unknown }

export interface PusherOptions {
  /** PostgreSQL: commit a group in one statement when it can (commitInOneStatement). */
  oneStatement?: boolean
  /** Where a push whose session came from the session cache has it looked up again when its statement did not check it. */
  sessions?: { read: Kysely<Database>; cache: SessionCache }
}

export interface Pusher {
  /** `verify`: the session came from the session cache (its token's hash): the write checks it still holds. */
  push(viewer: Viewer, mutations: Mutation[], log: FastifyBaseLogger, verify?: string | null): Promise<PushResult[]>
}

interface Job {
  viewer: Viewer
  mutations: Mutation[]
  log: FastifyBaseLogger
  /** The hash of a session taken from the session cache, not yet checked against the database. */
  verify?: string
  resolve(results: PushResult[]): void
  reject(err: unknown): void
}

/**
 * Group commit. Requests that arrive while a commit is on disk are applied together in the next
 * transaction (PostgreSQL: study records in one statement, see commitInOneStatement; batched:
 * study records in a few multi-row statements; or each request in its own savepoint, see
 * commitWithRetry), and committed with one fsync (SQLite: one connection, one writer;
 * PostgreSQL: one group per process at a time, so the change counter is locked once per group
 * rather than once per request). Each request is answered only after the commit that holds its effects is
 * durable (synchronous=FULL), so an acknowledgement is never given for a write that could be lost.
 */
export function groupCommitPusher(db: Kysely<Database>, storage?: StorageState, opts: PusherOptions = {}): Pusher {
  let queue: Job[] = []
  let flushing = false

  /**
   * One transaction for the group. Batched (see Batched): a fixed number of statements for the
   * common case, and any failure is thrown for the group to be applied again unbatched; otherwise
   * each job in its savepoint, each mutation in its own.
   */
  async function commitGroup(jobs: Job[], batch: boolean): Promise<Outcome[]> {
    return db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = []
      const seqs = new PendingSeqs()
      const held = await claimAll(trx, jobs)
      if (batch) {
        const batched: Batched = { buffers: writeBuffers(), results: new Map() }
        for (const [table, buffer] of batched.buffers) {
          await buffer.load(
            trx,
            jobs.flatMap((job, i) => job.mutations.filter((m) => m.table === table && held[i]?.has(m.id)).map((m) => m.rowId)),
          )
        }
        for (const [i, job] of jobs.entries()) {
          outcomes.push({
            ok: true,
            results: await applyBatch(trx, seqs, job.viewer, job.mutations, held[i] ?? new Set(), job.log, batched),
          })
        }
        for (const buffer of batched.buffers.values()) await buffer.flush(trx)
        await storeResults(trx, held, batched.results)
        await seqs.assign(trx)
        return outcomes
      }
      for (const [i, job] of jobs.entries()) {
        await sql`savepoint job`.execute(trx)
        try {
          outcomes.push({ ok: true, results: await applyBatch(trx, seqs, job.viewer, job.mutations, held[i] ?? new Set(), job.log) })
          await sql`release savepoint job`.execute(trx)
        } catch (err) {
          if (isStorageFull(err)) throw err
          await rollbackTo(trx, 'job', err)
          outcomes.push({ ok: false, err })
        }
      }
      await releaseUnstored(trx, held)
      // Rows of a job rolled back above keep no effect; numbering an absent row is a no-op.
      await seqs.assign(trx)
      return outcomes
    })
  }

  /**
   * On PostgreSQL in one statement first (commitInOneStatement), for new records without a read;
   * a group it does not take, or that met a conflict, is committed in a transaction.
   * Batched first. A failure of the batched transaction (rolled back whole) applies the group
   * again one mutation at a time, so a fault is narrowed to its mutation and answered partially.
   * A deadlock or serialization failure (PostgreSQL) is tried once more, then answered 503: never 500.
   */
  async function commitWithRetry(jobs: Job[]): Promise<Outcome[]> {
    if (opts.oneStatement) {
      try {
        // New records first (one round trip), then with the rows read (two); a conflict, or a
        // group neither takes, goes on to the transaction.
        let done = await commitInOneStatement(db, jobs, 'new')
        if (done === 'not-taken') done = await commitInOneStatement(db, jobs, 'read')
        if (typeof done !== 'string') return done
      } catch (err) {
        if (isStorageFull(err)) throw err
        jobs[0]?.log.warn({ err }, 'push: one-statement group commit failed, committing the group in a transaction')
      }
    }
    // Sessions from the cache that no statement checked: looked up now, as without the cache.
    const refused = await checkSessions(jobs)
    const rest = jobs.filter((job) => !refused.has(job))
    const outcomes = rest.length > 0 ? await commitInTransaction(rest) : []
    const answered = new Map(rest.map((job, i) => [job, outcomes[i] as Outcome]))
    return jobs.map((job) => refused.get(job) ?? (answered.get(job) as Outcome))
  }

  async function commitInTransaction(jobs: Job[]): Promise<Outcome[]> {
    try {
      return await commitGroup(jobs, true)
    } catch (err) {
      if (isStorageFull(err)) throw err
      jobs[0]?.log.warn({ err }, 'push: batched group failed, applying it again one mutation at a time')
    }
    try {
      return await commitGroup(jobs, false)
    } catch (err) {
      if (!isWriteConflict(err)) throw err
      jobs[0]?.log.warn({ err }, 'push: write conflict with another transaction, trying the group once more')
      return commitGroup(jobs, false)
    }
  }

  /**
   * Each job whose session came from the session cache, looked up in the database: it goes on as
   * the person is now, or is answered as a request with that session would be (401 signed out or
   * unknown). Someone who has become an administrator meanwhile is asked to send again (503), so
   * that the request passes the administrators' checks (two-factor login) on its way in.
   */
  async function checkSessions(jobs: Job[]): Promise<Map<Job, Outcome>> {
    const refused = new Map<Job, Outcome>()
    const sessions = opts.sessions
    for (const job of jobs) {
      const hash = job.verify
      if (!hash || !sessions) continue
      delete job.verify
      const found = await sessionForHash(db, sessions.read, hash)
      if (found && 'viewer' in found && found.viewer.role !== 'admin') {
        sessions.cache.keep(hash, found)
        job.viewer = { ...found.viewer, ...(job.viewer.origin ? { origin: job.viewer.origin } : {}) }
        continue
      }
      sessions.cache.forget(hash)
      const err = !found
        ? new HttpError(401, 'unauthorized')
        : 'signedOut' in found
          ? new HttpError(401, 'signed_out')
          : new HttpError(503, 'unavailable', '服务器繁忙，请稍后重试')
      refused.set(job, { ok: false, err })
    }
    return refused
  }

  const answer = (err: unknown): unknown => (isWriteConflict(err) ? new HttpError(503, 'unavailable', '服务器繁忙，请稍后重试') : err)

  async function flush(): Promise<void> {
    flushing = true
    while (queue.length) {
      const jobs = queue
      queue = []
      let outcomes: Outcome[]
      try {
        outcomes = await commitWithRetry(jobs)
      } catch (err) {
        for (const job of jobs) job.reject(answer(err))
        continue
      }
      storage?.noteWritten()
      jobs.forEach((job, i) => {
        const o = outcomes[i]
        if (o?.ok) job.resolve(o.results)
        else job.reject(answer(o?.err))
      })
    }
    flushing = false
  }

  return {
    push: (viewer, mutations, log, verify) =>
      new Promise<PushResult[]>((resolve, reject) => {
        queue.push({ viewer, mutations, log, resolve, reject, ...(verify ? { verify } : {}) })
        // better-sqlite3 is synchronous: a flush started now would run to its fsync before the
        // requests already read from the network are parsed. Waiting for the check phase lets
        // every request of this event-loop turn join the same commit.
        if (!flushing) {
          flushing = true
          setImmediate(() => void flush())
        }
      }),
  }
}
