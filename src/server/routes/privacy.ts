import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import type { Viewer } from '../lib/viewer.ts'
import { HttpError } from '../lib/http-error.ts'
import * as contracts from '../../core/contracts/privacy.ts'
import type { PrivacyState } from '../../core/contracts/privacy.ts'
import { PRIVACY_NOTICE_VERSION } from '../../core/domain/privacy-notice.ts'
import { consentSnapshot, recordConsent } from '../repositories/consents.ts'
import { route } from './route.ts'

/**
 * The 个人信息保护说明 accepted and the separate consents, recorded on the server (who, which
 * version, when; append-only). A REST call, not a synced table: the notice is first shown at a
 * login, which is online; a phone that is offline when the version changes keeps working and asks
 * once it is online. A consent given offline is kept on the phone (it decides there and then) and
 * sent here when a connection returns (client: features/privacy).
 */
export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const state = async (viewer: Viewer): Promise<PrivacyState> => ({
    currentVersion: PRIVACY_NOTICE_VERSION,
    ...(await consentSnapshot(ctx.db, viewer.id)),
    retention: ctx.retention,
  })

  route(app, contracts.privacyState, { access: 'viewer', handler: ({ viewer }) => state(viewer) })

  route(app, contracts.acceptPrivacy, {
    access: 'viewer',
    handler: async ({ viewer, body }) => {
      if (body.version !== PRIVACY_NOTICE_VERSION) throw new HttpError(409, 'conflict', '个人信息保护说明已更新，请阅读新版本后再同意')
      await recordConsent(ctx.db, viewer, 'notice', body.version, true)
      return state(viewer)
    },
  })

  route(app, contracts.setConsent, {
    access: 'viewer',
    handler: async ({ viewer, body }) => {
      await recordConsent(ctx.db, viewer, body.kind, PRIVACY_NOTICE_VERSION, body.granted)
      return state(viewer)
    },
  })
}
