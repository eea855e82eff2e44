import { sql, type Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/schema.ts'
import { MIN_MUTATION_VERSION, MUTATION_VERSION, type Mutation, type PushResult } from '../../core/sync/protocol.ts'
import type { WritableTable } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { Viewer } from './viewer.ts'
import { PendingSeqs } from '../repositories/sequence.ts'
import { applyStudyMutation, visibleStudyRow } from './study-records.ts'
import { applyUserMutation, visibleUserRow } from './users.ts'
import { applyOathMutation, visibleOathRow } from './oath-renewals.ts'
import { applyReminderSettingsMutation, visibleReminderSettingsRow } from './reminder-settings.ts'
import { applyMeetingMutation, visibleMeetingRow } from './meetings.ts'
import { applyAttendanceMutation, visibleAttendanceRow } from './attendance.ts'
import { applyMakeupMutation, visibleMakeupRow } from './makeups.ts'
import { applyFollowupMutation, applyHouseholdMutation, applyVisitMutation, visibleFollowupRow, visibleHouseholdRow, visibleVisitRow } from './field-visits.ts'

interface TableHandler {
  apply(trx: Kysely<Database>, viewer: Viewer, m: Mutation, seqs: PendingSeqs): Promise<void>
  visibleRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null>
}

const handlers: Record<WritableTable, TableHandler> = {
  study_records: { apply: applyStudyMutation, visibleRow: visibleStudyRow },
  users: { apply: applyUserMutation, visibleRow: visibleUserRow },
  oath_renewals: { apply: applyOathMutation, visibleRow: visibleOathRow },
  reminder_settings: { apply: applyReminderSettingsMutation, visibleRow: visibleReminderSettingsRow },
  meetings: { apply: applyMeetingMutation, visibleRow: visibleMeetingRow },
  attendance: { apply: applyAttendanceMutation, visibleRow: visibleAttendanceRow },
  makeups: { apply: applyMakeupMutation, visibleRow: visibleMakeupRow },
  households: { apply: applyHouseholdMutation, visibleRow: visibleHouseholdRow },
  visits: { apply: applyVisitMutation, visibleRow: visibleVisitRow },
  followups: { apply: applyFollowupMutation, visibleRow: visibleFollowupRow },
}

/** Bring a mutation written by an older client to the current format (none needed yet). */
function upgrade(m: Mutation): Mutation {
  if (m.v < MIN_MUTATION_VERSION || m.v > MUTATION_VERSION) throw new HttpError(422, 'unsupported_version')
  return m
}

/**
 * Apply one client's batch inside an open transaction, each mutation in its own savepoint. The
 * result of each (applied or rejected) is stored under the mutation id in the same transaction
 * as its effect, so a retry gets the stored result back and never applies twice. An unexpected
 * failure stops the batch: the mutations before it are answered; the rest get no answer and are
 * retried by the client, in order.
 */
async function applyBatch(trx: Kysely<Database>, seqs: PendingSeqs, viewer: Viewer, mutations: Mutation[], log: FastifyBaseLogger): Promise<PushResult[]> {
  const results: PushResult[] = []
  // Rows with a mutation waiting for its meeting or visit: their later mutations wait too, in order.
  const waiting = new Set<string>()
  const waitResult = (raw: Mutation, message: string): PushResult => {
    waiting.add(`${raw.table}/${raw.rowId}`)
    return { id: raw.id, status: 'rejected', code: 'waiting', message }
  }
  for (const raw of mutations) {
    if (waiting.has(`${raw.table}/${raw.rowId}`)) {
      results.push(waitResult(raw, '同一记录的前一项修改还在等待，联网后会自动重试'))
      continue
    }
    // Claim the mutation id before touching anything. A concurrent transaction holding the same
    // id (two tabs, a retry racing the original) makes this wait for it and then find the id
    // taken: that request gets the stored result and applies nothing.
    const claimed = await trx
      .insertInto('mutations')
      .values({ id: raw.id, user_id: viewer.id, result: '', created_at: nowIso() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!claimed) {
      results.push(await storedResult(trx, viewer, raw.id))
      continue
    }
    await sql`savepoint mutation`.execute(trx)
    let result: PushResult
    try {
      const m = upgrade(raw)
      await handlers[m.table].apply(trx, viewer, m, seqs)
      result = { id: m.id, status: 'applied' }
      await sql`release savepoint mutation`.execute(trx)
    } catch (err) {
      await sql`rollback to savepoint mutation`.execute(trx)
      await sql`release savepoint mutation`.execute(trx)
      if (!(err instanceof HttpError)) {
        log.error({ err, mutation: raw.id }, 'push: unexpected failure, stopping batch')
        await trx.deleteFrom('mutations').where('id', '=', raw.id).execute()
        break
      }
      if (err.code === 'waiting') {
        // Its meeting, visit or household has not reached the server yet: nothing is recorded
        // under the id, so the same mutation is applied when the phone sends it again.
        await trx.deleteFrom('mutations').where('id', '=', raw.id).execute()
        results.push(waitResult(raw, err.message))
        continue
      }
      result = { id: raw.id, status: 'rejected', code: err.code, message: err.message, row: await handlers[raw.table].visibleRow(trx, viewer, raw.rowId) }
    }
    await trx.updateTable('mutations').set({ result: JSON.stringify(result) }).where('id', '=', raw.id).execute()
    results.push(result)
  }
  return results
}

async function storedResult(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<PushResult> {
  const seen = await trx.selectFrom('mutations').select(['user_id', 'result']).where('id', '=', id).executeTakeFirstOrThrow()
  if (seen.user_id !== viewer.id) return { id, status: 'rejected', code: 'conflict', message: '变更编号重复' }
  return { ...(JSON.parse(seen.result) as PushResult), duplicate: true }
}

export interface Pusher {
  push(viewer: Viewer, mutations: Mutation[], log: FastifyBaseLogger): Promise<PushResult[]>
}

interface Job {
  viewer: Viewer
  mutations: Mutation[]
  log: FastifyBaseLogger
  resolve(results: PushResult[]): void
  reject(err: unknown): void
}

/**
 * Group commit. Requests that arrive while a commit is on disk are applied together in the next
 * transaction, each in its own savepoint, and committed with one fsync (SQLite: one connection,
 * one writer; PostgreSQL: one transaction per process at a time, so the change counter is locked
 * once per batch rather than once per request). Each request is answered only after the commit that holds its effects is
 * durable (synchronous=FULL), so an acknowledgement is never given for a write that could be lost.
 */
export function groupCommitPusher(db: Kysely<Database>): Pusher {
  let queue: Job[] = []
  let flushing = false

  async function flush(): Promise<void> {
    flushing = true
    while (queue.length) {
      const jobs = queue
      queue = []
      const outcomes: ({ ok: true; results: PushResult[] } | { ok: false; err: unknown })[] = []
      try {
        await db.transaction().execute(async (trx) => {
          const seqs = new PendingSeqs()
          for (const job of jobs) {
            await sql`savepoint job`.execute(trx)
            try {
              outcomes.push({ ok: true, results: await applyBatch(trx, seqs, job.viewer, job.mutations, job.log) })
              await sql`release savepoint job`.execute(trx)
            } catch (err) {
              await sql`rollback to savepoint job`.execute(trx)
              await sql`release savepoint job`.execute(trx)
              outcomes.push({ ok: false, err })
            }
          }
          // Rows of a job rolled back above keep no effect; numbering an absent row is a no-op.
          await seqs.assign(trx)
        })
      } catch (err) {
        for (const job of jobs) job.reject(err)
        continue
      }
      jobs.forEach((job, i) => {
        const o = outcomes[i]
        if (o?.ok) job.resolve(o.results)
        else job.reject(o?.err)
      })
    }
    flushing = false
  }

  return {
    push: (viewer, mutations, log) =>
      new Promise<PushResult[]>((resolve, reject) => {
        queue.push({ viewer, mutations, log, resolve, reject })
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
