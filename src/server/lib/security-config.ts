import { AUDIT_MIN_RETENTION_DAYS } from '../db/migrations/018_security.ts'

export { AUDIT_MIN_RETENTION_DAYS }

/**
 * What an administrator who has not enrolled two-factor login may still call: who they are,
 * signing out, enrolling (and the clock and health). Everything else answers 403
 * `two_factor_required` and the app opens the enrolment page.
 */
export const BEFORE_ENROLMENT = ['/api/auth/', '/api/me/two-factor', '/api/time', '/api/health']

/** The security settings (README, Configuration): read once at start, refused there if out of bounds. */
export interface SecurityOptions {
  /** Administrators must enrol two-factor login before anything else (ADMIN_2FA; the demo organisation is exempt). */
  requireAdminTwoFactor: boolean
  /** Minutes without an administrative request (/api/admin/*) after which a manager signs in again (ADMIN_IDLE_MINUTES; 0: off). */
  managerIdleMinutes: number
  /** Days the audit log is kept (AUDIT_RETENTION_DAYS, at least 180). */
  auditRetentionDays: number
  /** The key that encrypts two-factor secrets (SECRET_KEY); else one kept in the database. */
  secretKey: Buffer | undefined
  /** Milliseconds since 1970 (tests move time). */
  clock: () => number
}

export const DEFAULT_SECURITY: SecurityOptions = {
  requireAdminTwoFactor: true,
  managerIdleMinutes: 30,
  auditRetentionDays: AUDIT_MIN_RETENTION_DAYS,
  secretKey: undefined,
  clock: () => Date.now(),
}

/** A setting that may not be used: start-up stops with this message. */
export class ConfigError extends Error {}

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name}=${raw}：应为整数`)
  return Number(raw.trim())
}

/** The settings from the environment; a retention under six months or a bad value is refused with a clear message. */
export function securityFromEnv(env: Record<string, string | undefined>): SecurityOptions {
  const auditRetentionDays = wholeNumber('AUDIT_RETENTION_DAYS', env.AUDIT_RETENTION_DAYS, DEFAULT_SECURITY.auditRetentionDays)
  if (auditRetentionDays < AUDIT_MIN_RETENTION_DAYS)
    throw new ConfigError(
      `AUDIT_RETENTION_DAYS=${auditRetentionDays}：审计日志至少保存 ${AUDIT_MIN_RETENTION_DAYS} 天（六个月，《网络安全法》第二十一条），请设为 ${AUDIT_MIN_RETENTION_DAYS} 或更大`,
    )
  const twoFactor = (env.ADMIN_2FA ?? 'required').trim()
  if (twoFactor !== 'required' && twoFactor !== 'optional') throw new ConfigError(`ADMIN_2FA=${twoFactor}：应为 required 或 optional`)
  return {
    requireAdminTwoFactor: twoFactor === 'required',
    managerIdleMinutes: wholeNumber('ADMIN_IDLE_MINUTES', env.ADMIN_IDLE_MINUTES, DEFAULT_SECURITY.managerIdleMinutes),
    auditRetentionDays,
    secretKey: parseSecretKey(env.SECRET_KEY),
    clock: DEFAULT_SECURITY.clock,
  }
}

/** Reads SECRET_KEY (64 hex digits or 32 bytes in base64); anything else is refused. */
export function parseSecretKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const key = /^[0-9a-f]{64}$/i.test(raw.trim()) ? Buffer.from(raw.trim(), 'hex') : Buffer.from(raw.trim(), 'base64')
  if (key.length !== 32) throw new ConfigError('SECRET_KEY：应为 32 字节的密钥（64 位十六进制或 base64），可用 `openssl rand -hex 32` 生成')
  return key
}
