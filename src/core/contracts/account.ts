import * as v from 'valibot'
import { contract } from './contract.ts'
import { IdParams } from '../schemas/people.ts'

/** One of the person's signed-in devices (我的 › 登录设备). */
export const DeviceSession = v.object({
  id: v.string(),
  /** The browser's user agent as it signed in. */
  device: v.string(),
  createdAt: v.string(),
  lastSeenAt: v.string(),
  /** The device asking. */
  current: v.boolean(),
})
export type DeviceSession = v.InferOutput<typeof DeviceSession>

const SignedOut = v.object({ signedOut: v.number() })

export const sessions = contract({ method: 'GET', path: '/api/me/sessions', response: v.object({ sessions: v.array(DeviceSession) }) })
export const revokeSession = contract({ method: 'POST', path: '/api/me/sessions/:id/revoke', params: IdParams, response: SignedOut })
export const revokeOtherSessions = contract({ method: 'POST', path: '/api/me/sessions/revoke-others', response: SignedOut })
/** All of one's own data, as a JSON or xlsx download. */
export const exportJson = contract({ method: 'GET', path: '/api/me/export' })
export const exportXlsx = contract({ method: 'GET', path: '/api/me/export.xlsx' })
