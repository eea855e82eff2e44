import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { isStorageFull } from '../lib/storage.ts'
import * as contracts from '../../core/contracts/auth.ts'
import { ping, writeProbe } from '../repositories/meta.ts'
import { publicRoute } from './route.ts'

/** The probe writes (and removes, in the same transaction) about this much: a page or four of a small push. */
const PROBE_BYTES = 16 * 1024

/**
 * 200 `{status:'ok'}` while the database answers and writes are stored. After a write failed
 * for lack of space, 503 `{status:'degraded', storage:'full'}` until a write succeeds again: a
 * push or a photo, or the probe this route makes (a write that needs new space, committed, so
 * that it fails exactly as a real write would).
 */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Health checks that arrive together share one probe.
  let probing: Promise<void> | null = null

  async function probe(): Promise<void> {
    try {
      await writeProbe(ctx.db, randomBytes(PROBE_BYTES / 2).toString('hex'))
      ctx.storage.noteWritten()
    } catch (err) {
      if (!isStorageFull(err)) throw err
      ctx.storage.noteFull(err)
    }
  }

  publicRoute(app, contracts.health, {
    handler: async ({ reply }) => {
      await ping(ctx.db)
      if (ctx.storage.full) {
        probing ??= probe().finally(() => (probing = null))
        await probing
      }
      const full = ctx.storage.full
      if (full) {
        void reply.status(503)
        return { status: 'degraded', storage: 'full', since: full.since, database: ctx.dialect, version: ctx.version }
      }
      return { status: 'ok', database: ctx.dialect, version: ctx.version }
    },
  })
}
