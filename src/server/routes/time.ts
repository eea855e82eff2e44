import type { FastifyInstance } from 'fastify'
import * as contracts from '../../core/contracts/auth.ts'
import { publicRoute } from './route.ts'

/**
 * The server's clock, to the millisecond, for anyone: the organiser's phone compares its own clock
 * with it before showing a sign-in code (a phone two minutes fast would show codes every scan
 * refuses). Reads nothing, writes nothing.
 */
export function timeRoutes(app: FastifyInstance): void {
  publicRoute(app, contracts.time, {
    handler: async ({ reply }) => {
      void reply.header('cache-control', 'no-store')
      return { now: Date.now() }
    },
  })
}
