import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/schema.ts'
import { MIN_MUTATION_VERSION, MUTATION_VERSION, type Mutation, type PushResult } from '../../core/sync/protocol.ts'
import type { WritableTable } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import type { Viewer } from './viewer.ts'
import { applyStudyMutation, visibleStudyRow } from './study-records.ts'

interface TableHandler {
  apply(trx: Kysely<Database>, viewer: Viewer, m: Mutation): Promise<void>
  visibleRow(trx: Kysely<Database>, viewer: Viewer, id: string): Promise<Record<string, unknown> | null>
}

const handlers: Record<WritableTable, TableHandler> = {
  study_records: { apply: applyStudyMutation, visibleRow: visibleStudyRow },
}

/** Bring a mutation written by an older client to the current format (none needed yet). */
function upgrade(m: Mutation): Mutation {
  if (m.v < MIN_MUTATION_VERSION || m.v > MUTATION_VERSION) throw new HttpError(422, 'unsupported_version')
  return m
}

/**
 * Apply a batch in one transaction, each mutation inside its own savepoint. The result of each
 * (applied or rejected) is stored under the mutation id in the same transaction as its effect,
 * so a retry gets the stored result back and never applies twice. An unexpected failure stops
 * the batch: the mutations before it commit and are answered; the rest get no answer and are
 * retried by the client in order.
 */
export async function push(db: Kysely<Database>, viewer: Viewer, mutations: Mutation[], log: FastifyBaseLogger): Promise<PushResult[]> {
  const trx = await db.startTransaction().execute()
  const results: PushResult[] = []
  try {
    for (const raw of mutations) {
      const seen = await trx.selectFrom('mutations').select(['user_id', 'result']).where('id', '=', raw.id).executeTakeFirst()
      if (seen) {
        results.push(
          seen.user_id === viewer.id
            ? { ...(JSON.parse(seen.result) as PushResult), duplicate: true }
            : { id: raw.id, status: 'rejected', code: 'conflict', message: '变更编号重复' },
        )
        continue
      }
      const sp = await trx.savepoint('m').execute()
      let result: PushResult
      try {
        const m = upgrade(raw)
        await handlers[m.table].apply(sp, viewer, m)
        result = { id: m.id, status: 'applied' }
        await sp.releaseSavepoint('m').execute()
      } catch (err) {
        await sp.rollbackToSavepoint('m').execute()
        if (!(err instanceof HttpError)) {
          log.error({ err, mutation: raw.id }, 'push: unexpected failure, stopping batch')
          break
        }
        result = {
          id: raw.id,
          status: 'rejected',
          code: err.code,
          message: err.message,
          row: await handlers[raw.table].visibleRow(trx, viewer, raw.rowId),
        }
      }
      await trx.insertInto('mutations').values({ id: raw.id, user_id: viewer.id, result: JSON.stringify(result), created_at: nowIso() }).execute()
      results.push(result)
    }
    await trx.commit().execute()
  } catch (err) {
    await trx.rollback().execute()
    throw err
  }
  return results
}
