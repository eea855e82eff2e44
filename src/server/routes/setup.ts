import type { FastifyInstance } from 'fastify'
import * as contracts from '../../core/contracts/auth.ts'
import { HttpError } from '../lib/http-error.ts'
import type { AppContext } from '../context.ts'
import { countUsers, signedIn } from '../repositories/users.ts'
import { createOrganization, createUser } from '../repositories/organization.ts'
import { createSession } from '../repositories/sessions.ts'
import { setSessionCookie } from '../plugins/auth.ts'
import { publicRoute } from './route.ts'
import { auditAs } from '../services/admin/audit.ts'
import { passwordProblem } from '../../core/domain/password-policy.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../ops/demo-seed.ts'

/** First run: an empty database offers setup (organisation + first administrator) or the demo. */
export function setupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const ensureEmpty = async () => {
    if ((await countUsers(ctx.db)) > 0) throw new HttpError(409, 'already_set_up')
  }

  publicRoute(app, contracts.setupStatus, { handler: async () => ({ needsSetup: (await countUsers(ctx.db)) === 0 }) })

  publicRoute(app, contracts.setup, {
    handler: async ({ request, reply, body: input }) => {
      await ensureEmpty()
      const weak = passwordProblem(input.password, { phone: input.phone, name: input.adminName })
      if (weak) throw new HttpError(400, 'validation', `密码：${weak}`)
      const userId = await ctx.db.transaction().execute(async (trx) => {
        const orgId = await createOrganization(trx, input.orgName)
        const id = await createUser(trx, {
          orgId,
          branchId: null,
          name: input.adminName,
          phone: input.phone,
          role: 'admin',
          password: input.password,
        })
        await auditAs(trx, request, { orgId, actorId: id }, 'setup', orgId, `系统初始化：${input.orgName}，首位管理员 ${input.adminName}`)
        return id
      })
      request.log.info({ audit: 'setup', userId }, 'organisation created')
      setSessionCookie(request, reply, await createSession(ctx.db, userId, request.headers['user-agent'] ?? ''), ctx.secureCookies)
      return { user: await signedIn(ctx.db, userId, ctx.security.requireAdminTwoFactor) }
    },
  })

  publicRoute(app, contracts.seedDemo, {
    handler: async ({ request }) => {
      await ensureEmpty()
      await seedDemo(ctx.db)
      request.log.info({ audit: 'demo-seeded' }, 'demo organisation created')
      return { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD }
    },
  })
}
