import type { ResponseOf } from '../../core/contracts/contract.ts'
import type * as security from '../../core/contracts/security.ts'
import { createHttpClient } from './http.ts'

const http = createHttpClient()

/** Two-factor login and its second step: loaded with the pages that use them, not with the app shell. */
export const securityApi = {
  loginVerify: (ticket: string, code: string) =>
    http.post<ResponseOf<typeof security.loginVerify>>('/api/auth/login/verify', { ticket, code }),
  status: () => http.get<ResponseOf<typeof security.twoFactorStatus>>('/api/me/two-factor'),
  start: () => http.post<ResponseOf<typeof security.startTwoFactor>>('/api/me/two-factor/start'),
  confirm: (code: string) => http.post<ResponseOf<typeof security.confirmTwoFactor>>('/api/me/two-factor/confirm', { code }),
  regenerate: (code: string) =>
    http.post<ResponseOf<typeof security.regenerateRecoveryCodes>>('/api/me/two-factor/recovery-codes', { code }),
  disable: (code: string) => http.post<ResponseOf<typeof security.disableTwoFactor>>('/api/me/two-factor/disable', { code }),
  reset: (personId: string) =>
    http.post<ResponseOf<typeof security.resetTwoFactor>>(`/api/admin/people/${encodeURIComponent(personId)}/two-factor/reset`),
}
