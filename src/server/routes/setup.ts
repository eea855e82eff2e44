import type { FastifyInstance } from 'fastify'
import { SetupRequest, type SetupStatus } from '../../core/schemas/auth.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import type { AppContext } from '../context.ts'
import { countUsers, sessionUser } from '../repositories/users.ts'
import { createOrganization, createUser } from '../repositories/organization.ts'
import { createSession } from '../repositories/sessions.ts'
import { setSessionCookie } from '../plugins/auth.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../ops/demo-seed.ts'

/** First run: an empty database offers setup (organisation + first administrator) or the demo. */
export function setupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const ensureEmpty = async () => {
    if ((await countUsers(ctx.db)) > 0) throw new HttpError(409, 'already_set_up')
  }

  app.get('/api/setup', async (): Promise<SetupStatus> => ({ needsSetup: (await countUsers(ctx.db)) === 0 }))

  app.post('/api/setup', async (request, reply) => {
    const input = parseInput(SetupRequest, request.body)
    await ensureEmpty()
    const userId = await ctx.db.transaction().execute(async (trx) => {
      const orgId = await createOrganization(trx, input.orgName)
      return createUser(trx, { orgId, branchId: null, name: input.adminName, phone: input.phone, role: 'admin', password: input.password })
    })
    request.log.info({ audit: 'setup', userId }, 'organisation created')
    setSessionCookie(request, reply, await createSession(ctx.db, userId, request.headers['user-agent'] ?? ''), ctx.secureCookies)
    return { user: await sessionUser(ctx.db, userId) }
  })

  app.post('/api/setup/demo', async (request) => {
    await ensureEmpty()
    await seedDemo(ctx.db)
    request.log.info({ audit: 'demo-seeded' }, 'demo organisation created')
    return { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD }
  })
}
