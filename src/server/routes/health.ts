import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { AppContext } from '../context.ts'

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/health', async () => {
    await sql`select 1`.execute(ctx.db)
    return { status: 'ok', database: ctx.dialect, version: ctx.version }
  })
}
