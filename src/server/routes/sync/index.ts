import type { FastifyInstance } from 'fastify'
import { DEFAULT_PULL_LIMIT, parseCursor } from '../../../core/sync/protocol.ts'
import * as contracts from '../../../core/contracts/sync.ts'
import { HttpError } from '../../lib/http-error.ts'
import { route } from '../route.ts'
import type { AppContext } from '../../context.ts'
import { pull } from '../../sync/pull.ts'
import { requestSchemaVersion, servedSchema, serverSchemaVersion, setAsideUnknown } from '../../sync/versions.ts'

export function syncRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.push, {
    access: 'viewer',
    // An app newer than this server: what this server does not know is refused (set aside before
    // the body is checked), the rest applied.
    before: (request) => {
      const newer =
        requestSchemaVersion(request) > serverSchemaVersion(ctx.schemaHistory) ? setAsideUnknown(request.body, ctx.schemaHistory) : null
      if (newer) request.body = newer.body
      return newer
    },
    handler: async ({ request, viewer, body, pre: newer }) => {
      // A phone that has not yet noticed a restore must not write over rows the restore lost
      // (its edits would be refused and its copies dropped): it pulls first, remembering what it
      // wrote, and sends everything back after (docs/sync.md, "Restore").
      const epoch = body.cursor ? parseCursor(body.cursor)?.epoch : body.epoch
      if (epoch && epoch !== ctx.epoch && ctx.previousEpochs.has(epoch)) throw new HttpError(409, 'reset_required')
      const origin = { ip: request.ip, device: String(request.headers['user-agent'] ?? '') }
      const results = await ctx.pusher.push({ ...viewer, origin }, body.mutations, request.log, request.sessionToVerify)
      return { results: newer ? newer.merge(results) : results, epoch: ctx.epoch }
    },
  })

  route(app, contracts.pull, {
    access: 'viewer',
    handler: async ({ request, viewer, query }) => {
      // Only the tables and fields the app's version knows; the rest wait for its update.
      const schema = servedSchema(requestSchemaVersion(request), ctx.schemaHistory)
      // One snapshot: the page and the sequence head agree (SQLite transactions are snapshots already).
      const tx = ctx.dialect === 'postgres' ? ctx.read.transaction().setIsolationLevel('repeatable read') : ctx.read.transaction()
      const page = await tx.execute((trx) =>
        pull(
          trx,
          { epoch: ctx.epoch, previousEpochs: ctx.previousEpochs },
          viewer,
          query.cursor,
          query.limit ?? DEFAULT_PULL_LIMIT,
          schema,
        ),
      )
      ctx.highWater.note(ctx.epoch, parseCursor(page.cursor)?.seq ?? 0)
      return page
    },
  })
}
