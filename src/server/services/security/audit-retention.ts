import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../../db/schema.ts'
import { newId } from '../../../core/ids.ts'
import { AUDIT_MIN_RETENTION_DAYS } from '../../lib/security-config.ts'

const DAY = 86_400_000

/**
 * Deletes audit entries older than the retention (days, never under six months: the database
 * itself refuses to delete a younger entry, migration 018) and records that it did, per
 * organisation, with how many and up to when. Returns how many were deleted.
 */
export async function pruneAuditLog(db: Kysely<Database>, retentionDays: number, now: number): Promise<number> {
  const days = Math.max(retentionDays, AUDIT_MIN_RETENTION_DAYS)
  const cutoff = new Date(now - days * DAY).toISOString()
  const counts = await db
    .selectFrom('audit_log')
    .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('at', '<', cutoff)
    .groupBy('org_id')
    .execute()
  if (counts.length === 0) return 0
  return db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('audit_log').where('at', '<', cutoff).executeTakeFirst()
    for (const c of counts)
      await trx
        .insertInto('audit_log')
        .values({
          id: newId(),
          org_id: c.org_id,
          actor_id: '',
          action: 'audit_retention',
          target_id: null,
          summary: `按保存期限（${days} 天）删除 ${Number(c.n)} 条 ${cutoff.slice(0, 10)} 之前的审计日志`,
          detail: JSON.stringify({ days, before: cutoff, count: Number(c.n) }),
          device: '',
          ip: '',
          at: new Date(now).toISOString(),
        })
        .execute()
    return Number(r.numDeletedRows)
  })
}

/** Runs the retention at start and then daily; `stop` ends it. */
export function scheduleAuditRetention(
  db: Kysely<Database>,
  retentionDays: number,
  log: FastifyBaseLogger,
  clock: () => number = Date.now,
): { stop(): void } {
  const run = () =>
    pruneAuditLog(db, retentionDays, clock()).then(
      (n) => {
        if (n > 0) log.info({ deleted: n, retentionDays }, 'audit log retention')
      },
      (err: unknown) => log.error({ err }, 'audit log retention failed'),
    )
  void run()
  const timer = setInterval(() => void run(), DAY)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
