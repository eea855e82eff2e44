import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import * as contracts from '../../core/contracts/review.ts'
import { addPaperTally, castBallot, myBallot, tally, turnout } from '../services/review/ballots.ts'
import { route } from './route.ts'

/**
 * The sealed ballot of 民主评议党员 (docs/review-ballots.md). The ballot's body is never logged,
 * audited or echoed: Fastify's request log has the method and path (the cycle's id) only.
 */
export function reviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.castBallot, {
    access: 'viewer',
    handler: async ({ viewer, params, body }) => {
      await castBallot(ctx.db, viewer, params.id, body.grades)
      return { counted: true as const }
    },
  })
  route(app, contracts.myBallot, { access: 'viewer', handler: ({ viewer, params }) => myBallot(ctx.read, viewer, params.id) })
  route(app, contracts.turnout, { access: 'viewer', handler: ({ viewer, params }) => turnout(ctx.read, viewer, params.id) })
  route(app, contracts.tally, { access: 'viewer', handler: ({ viewer, params }) => tally(ctx.read, viewer, params.id) })
  route(app, contracts.addPaperTally, {
    access: 'viewer',
    handler: ({ viewer, params, body }) => addPaperTally(ctx.db, viewer, params.id, body),
  })
}
