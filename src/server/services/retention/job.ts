import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../../db/schema.ts'
import { PendingSeqs } from '../../repositories/sequence.ts'
import { yearsBefore, type Retention } from '../../../core/domain/retention.ts'

export interface RetentionContext {
  db: Kysely<Database>
  photoDir: string
  retention: Retention
}

export interface RetentionOutcome {
  /** Visits whose photos were deleted. */
  visits: number
  /** Photo files removed. */
  photos: number
  /** 投诉建议 deleted (and their text erased). */
  feedback: number
}

const BATCH = 200

/**
 * One run of the retention rules (core/domain/retention.ts) at `now` (a parameter, so tests run it
 * at any date):
 *
 * - photos of a visit made more than `visitPhotoYears` ago: the photo records and files go and the
 *   visit's photo list is emptied (a synced change, so phones drop the thumbnails at their next
 *   sync); the visit's text stays in the ledger;
 * - a 投诉建议 answered more than `feedbackYears` ago, or withdrawn by its author: deleted (a
 *   tombstone that phones receive) with its text and answer erased.
 *
 * Each batch is one transaction with its change numbers; files are removed after the commit (a
 * crash between leaves files nobody can reach, removed by the next run's check of the same ids).
 * Idempotent: a second run, or a second process running it at the same time, finds nothing more.
 */
export async function runRetention(ctx: RetentionContext, now: Date): Promise<RetentionOutcome> {
  const out: RetentionOutcome = { visits: 0, photos: 0, feedback: 0 }
  const photosBefore = yearsBefore(now, ctx.retention.visitPhotoYears).toISOString()
  for (;;) {
    const visits = await ctx.db
      .selectFrom('visits')
      .select(['id'])
      .where('visited_at', '<', photosBefore)
      .where('photo_ids', '!=', '[]')
      .limit(BATCH)
      .execute()
    if (visits.length === 0) break
    const ids = visits.map((v) => v.id)
    const photoIds = await ctx.db.transaction().execute(async (trx) => {
      const photos = await trx.selectFrom('photos').select('id').where('owner_table', '=', 'visits').where('owner_id', 'in', ids).execute()
      await trx.deleteFrom('photos').where('owner_table', '=', 'visits').where('owner_id', 'in', ids).execute()
      const seqs = new PendingSeqs()
      await trx.updateTable('visits').set({ photo_ids: '[]', updated_at: now.toISOString(), seq: 0 }).where('id', 'in', ids).execute()
      for (const id of ids) seqs.mark('visits', id)
      await seqs.assign(trx)
      return photos.map((p) => p.id)
    })
    for (const id of photoIds) {
      await rm(join(ctx.photoDir, id), { force: true })
      await rm(join(ctx.photoDir, `${id}.part`), { force: true })
    }
    out.visits += ids.length
    out.photos += photoIds.length
  }

  const feedbackBefore = yearsBefore(now, ctx.retention.feedbackYears).toISOString()
  for (;;) {
    const rows = await ctx.db
      .selectFrom('feedback')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('deleted', '=', 0), eb('answered_at', 'is not', null), eb('answered_at', '<', feedbackBefore)]),
          // Withdrawn items whose text was kept by an older server: erase it.
          eb.and([eb('deleted', '=', 1), eb('text', '!=', '')]),
        ]),
      )
      .limit(BATCH)
      .execute()
    if (rows.length === 0) break
    const ids = rows.map((r) => r.id)
    await ctx.db.transaction().execute(async (trx) => {
      const seqs = new PendingSeqs()
      await trx
        .updateTable('feedback')
        .set({ deleted: 1, text: '', answer: '', updated_at: now.toISOString(), seq: 0 })
        .where('id', 'in', ids)
        .execute()
      for (const id of ids) seqs.mark('feedback', id)
      await seqs.assign(trx)
    })
    out.feedback += ids.length
  }
  return out
}

/** Once a day (the first run a minute after start), like the reminder job; each run is safe to repeat. */
export function scheduleRetention(
  ctx: RetentionContext,
  log: FastifyBaseLogger,
  everyMs = 24 * 3600_000,
  clock: () => Date = () => new Date(),
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    const at = clock()
    // One run at a time in this process: a slow run is followed, never overlapped, by the next.
    running = running
      .then(() => runRetention(ctx, at))
      .then((o) => (o.visits || o.feedback) && log.info(o, 'retention: expired data removed'))
      .catch((err: unknown) => log.error({ err }, 'retention job failed'))
  }
  const first = setTimeout(tick, 60_000)
  const timer = setInterval(tick, everyMs)
  first.unref()
  timer.unref()
  return {
    async stop() {
      clearTimeout(first)
      clearInterval(timer)
      await running
    },
  }
}
