import * as v from 'valibot'
import { contract } from './contract.ts'
import { IsoDate, Password } from '../schemas/common.ts'
import { IdParams } from '../schemas/people.ts'
import { SessionUser } from '../schemas/auth.ts'

/**
 * Two-factor login (TOTP, RFC 6238) with recovery codes, its reset by an administrator, and the
 * audit log's export for the 等保 assessor.
 */
const Code = v.pipe(
  v.string('验证码应为文本'),
  v.trim(),
  v.minLength(6, '请输入 6 位验证码或恢复码'),
  v.maxLength(20, '验证码或恢复码过长'),
  v.title('验证码'),
)
const Done = v.object({ ok: v.literal(true) })
const RecoveryCodes = v.object({ recoveryCodes: v.array(v.string()) })

/** Whether the person has enrolled, must (an administrator), and how many recovery codes are left. */
export const TwoFactorStatus = v.object({ enabled: v.boolean(), required: v.boolean(), recoveryCodesLeft: v.number() })
export type TwoFactorStatus = v.InferOutput<typeof TwoFactorStatus>

export const twoFactorStatus = contract({ method: 'GET', path: '/api/me/two-factor', response: TwoFactorStatus })
/** A new secret to enrol: its otpauth:// URI (the app draws it as a QR code) and the secret for typing in; shown this once. */
export const startTwoFactor = contract({
  method: 'POST',
  path: '/api/me/two-factor/start',
  response: v.object({ uri: v.string(), secret: v.string() }),
})
/** The first code from the authenticator confirms enrolment; the ten recovery codes are answered this once. */
export const confirmTwoFactor = contract({
  method: 'POST',
  path: '/api/me/two-factor/confirm',
  body: v.object({ code: Code }),
  response: RecoveryCodes,
})
/** Ten new recovery codes (the old ones stop working), on a current code. */
export const regenerateRecoveryCodes = contract({
  method: 'POST',
  path: '/api/me/two-factor/recovery-codes',
  body: v.object({ code: Code }),
  response: RecoveryCodes,
})
/** Turning two-factor login off, on a current code (not for administrators while it is required). */
export const disableTwoFactor = contract({
  method: 'POST',
  path: '/api/me/two-factor/disable',
  body: v.object({ code: Code }),
  response: Done,
})

/** One's own new password, on the current one (the password policy applies; other devices stay signed in). */
export const changePassword = contract({
  method: 'POST',
  path: '/api/me/password',
  body: v.object({
    current: v.pipe(v.string('密码应为文本'), v.minLength(1, '请输入当前密码'), v.maxLength(128, '密码最多 128 位'), v.title('当前密码')),
    password: v.pipe(Password, v.title('新密码')),
  }),
  response: Done,
})

/** The second step of a login: the token the password step answered, and a code or a recovery code. */
export const loginVerify = contract({
  method: 'POST',
  path: '/api/auth/login/verify',
  body: v.object({ ticket: v.pipe(v.string(), v.minLength(10), v.maxLength(100)), code: Code }),
  response: v.object({ user: SessionUser }),
})

/** An administrator clears someone's two-factor login (a lost phone); they enrol again at their next sign-in. */
export const resetTwoFactor = contract({ method: 'POST', path: '/api/admin/people/:id/two-factor/reset', params: IdParams, response: Done })

/** The audit log of a date range (China dates, both included) as xlsx or CSV. */
export const AuditExportQuery = v.object({
  from: IsoDate,
  to: IsoDate,
  format: v.optional(v.picklist(['xlsx', 'csv'], '格式应为 xlsx 或 csv'), 'xlsx'),
})
export const exportAudit = contract({ method: 'GET', path: '/api/admin/audit/export', query: AuditExportQuery })

/** The 备案 / 等保 data sheet (Markdown), as `npm run compliance-sheet` writes it, from the running server's configuration. */
export const complianceSheet = contract({ method: 'GET', path: '/api/admin/compliance-sheet' })
