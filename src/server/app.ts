import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify'
import rateLimit from '@fastify/rate-limit'
import { errorBody } from '../core/errors.ts'
import compress from '@fastify/compress'
import type { AppContext } from './context.ts'
import { refuseMalformedText, registerErrorHandling } from './plugins/errors.ts'
import { registerSecurity } from './plugins/security.ts'
import { registerGracefulClose } from './plugins/closing.ts'
import { refuseCrossOrigin } from './plugins/same-origin.ts'
import { registerAuth } from './plugins/auth.ts'
import { registerStatic } from './static.ts'
import { healthRoutes } from './routes/health.ts'
import { timeRoutes } from './routes/time.ts'
import { setupRoutes } from './routes/setup.ts'
import { authRoutes } from './routes/auth.ts'
import { syncRoutes } from './routes/sync/index.ts'
import { calendarRoutes } from './routes/calendar.ts'
import { pushRoutes } from './routes/push.ts'
import { accountRoutes } from './routes/account.ts'
import { peopleRoutes } from './routes/admin/people.ts'
import { orgRoutes } from './routes/admin/org.ts'
import { rosterRoutes } from './routes/admin/roster.ts'
import { meetingRoutes } from './routes/meetings.ts'
import { duesRoutes } from './routes/dues.ts'
import { trainingRoutes } from './routes/training.ts'
import { yearReportRoutes } from './routes/year-report.ts'
import { photoRoutes } from './routes/photos.ts'
import { reminderRoutes } from './routes/reminders.ts'
import { securityRoutes } from './routes/security.ts'
import { privacyRoutes } from './routes/privacy.ts'
import { reviewRoutes } from './routes/review.ts'

export interface AppOptions {
  ctx: AppContext
  clientDir: string | null
  logger?: FastifyServerOptions['logger']
  trustProxy?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    apiRoutes: string[]
  }
}

export const BODY_LIMIT = 2 * 1024 * 1024

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: opts.trustProxy ?? false,
    // Closing is handled by plugins/closing.ts: our 503 body, and no wait for keep-alive connections.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: false } },
    // Errors the router raises before any route runs (an over-long path segment, a bad
    // content type...) leave in our error shape too.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400
      request.log.info({ code: err.code, status }, 'rejected by the router')
      void reply.status(status).send(errorBody('bad_request', status === 414 ? '请求地址过长' : undefined))
    },
  })
  // Every route, as "METHOD /path": the tests require bad-input (and later authorisation) cases for each.
  const routes: string[] = []
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push(`${m} ${r.url}`)
  })
  app.decorate('apiRoutes', routes)
  registerErrorHandling(app, opts.ctx.storage)
  refuseMalformedText(app)
  registerSecurity(app)
  // Before anything reads a session or the database: during close, new requests are refused.
  registerGracefulClose(app)
  // gzip/brotli for the shell and for sync pages: members are often on weak rural signal.
  await app.register(compress, { threshold: 1024 })
  await app.register(rateLimit, { global: false })
  // Before the session is read: a forged request from another origin goes no further.
  refuseCrossOrigin(app)
  await registerAuth(app, opts.ctx.db, opts.ctx.read, opts.ctx.security, opts.ctx.sessionCache)
  healthRoutes(app, opts.ctx)
  timeRoutes(app)
  setupRoutes(app, opts.ctx)
  authRoutes(app, opts.ctx)
  syncRoutes(app, opts.ctx)
  calendarRoutes(app, opts.ctx)
  pushRoutes(app, opts.ctx)
  accountRoutes(app, opts.ctx)
  peopleRoutes(app, opts.ctx)
  orgRoutes(app, opts.ctx)
  rosterRoutes(app, opts.ctx)
  meetingRoutes(app, opts.ctx)
  duesRoutes(app, opts.ctx)
  trainingRoutes(app, opts.ctx)
  yearReportRoutes(app, opts.ctx)
  photoRoutes(app, opts.ctx)
  reminderRoutes(app, opts.ctx)
  securityRoutes(app, opts.ctx)
  privacyRoutes(app, opts.ctx)
  reviewRoutes(app, opts.ctx)
  await registerStatic(app, opts.clientDir)
  return app
}
