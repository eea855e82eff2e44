import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { nowIso } from '../../lib/time.ts'

/**
 * Two-factor login by TOTP (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app reads),
 * through the `otpauth` library. The secret is kept encrypted (AES-256-GCM) with a key from
 * SECRET_KEY, or else one kept in the database's meta table; it is shown once, while enrolling,
 * and never sent again. A code is accepted once: the last time step used is stored and a code of
 * that step or an earlier one is refused (no replay within its window).
 */
export const TOTP_ISSUER = '党建随行'
const PERIOD = 30
const DIGITS = 6
/** One step either side: a phone clock 30 s off still works. */
const WINDOW = 1
export const RECOVERY_CODE_COUNT = 10
/** A password accepted waits this long for its second factor. */
export const CHALLENGE_MS = 5 * 60_000

const totpFor = (secret: Secret, label: string) =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret })

/** The encryption key (32 bytes): SECRET_KEY if configured, else one made once and kept in `meta`. */
export async function secretKey(db: Kysely<Database>, configured: Buffer | undefined): Promise<Buffer> {
  if (configured) return configured
  const found = await db.selectFrom('meta').select('value').where('key', '=', 'secret_key').executeTakeFirst()
  if (found) return Buffer.from(found.value, 'base64')
  await db
    .insertInto('meta')
    .values({ key: 'secret_key', value: randomBytes(32).toString('base64') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'secret_key').executeTakeFirstOrThrow()
  return Buffer.from(row.value, 'base64')
}

export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':')
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [v, iv, tag, body] = stored.split(':')
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable two-factor secret')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

/** A new secret and its otpauth:// URI (drawn as a QR code by the client) for this account. */
export function newEnrolment(label: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 })
  return { secret: secret.base32, uri: totpFor(secret, label).toString() }
}

/** The time step a code belongs to, if it is valid for `secret` at `now` (within one step either side), else null. */
export function codeStep(secret: string, code: string, now: number): number | null {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const totp = totpFor(Secret.fromBase32(secret), '')
  const delta = totp.validate({ token, timestamp: now, window: WINDOW })
  if (delta === null) return null
  return totp.counter({ timestamp: now }) + delta
}

/** The current code (tests; the client never computes one). */
export const currentCode = (secret: string, now: number): string => totpFor(Secret.fromBase32(secret), '').generate({ timestamp: now })

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const hashCode = (code: string) => createHash('sha256').update(normaliseRecoveryCode(code)).digest('base64url')
/** Recovery codes are read case- and dash-insensitively ("abcde-fghjk", "ABCDEFGHJK"). */
export const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '')
export const looksLikeRecoveryCode = (code: string): boolean => normaliseRecoveryCode(code).length === 10

/** Ten fresh one-time codes (shown once; only their hashes are kept), replacing any earlier ones. */
export async function issueRecoveryCodes(trx: Kysely<Database>, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('')
    return `${s.slice(0, 5)}-${s.slice(5)}`
  })
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashCode(c), created_at: nowIso(), used_at: null })))
    .execute()
  return codes
}

/** Uses one recovery code: true if it was unused (one statement, so two tries at once cannot both use it). */
export async function useRecoveryCode(db: Kysely<Database>, userId: string, code: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: nowIso() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function recoveryCodesLeft(db: Kysely<Database>, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * Accepts a TOTP code for the person's enrolled secret once: true if valid now and of a later
 * time step than any accepted before (a conditional update, so a code raced from two places is
 * accepted once).
 */
export async function acceptCode(db: Kysely<Database>, key: Buffer, userId: string, code: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('users').select(['totp_secret']).where('id', '=', userId).executeTakeFirst()
  if (!row?.totp_secret) return false
  const step = codeStep(decryptSecret(key, row.totp_secret), code, now)
  if (step === null) return false
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_last_step', '<', step)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** A token naming the person between the password and the code. */
export async function createChallenge(db: Kysely<Database>, userId: string, userAgent: string, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db.deleteFrom('login_challenges').where('expires_at', '<', new Date(now).toISOString()).execute()
  await db
    .insertInto('login_challenges')
    .values({
      token_hash: createHash('sha256').update(token).digest('base64url'),
      user_id: userId,
      expires_at: new Date(now + CHALLENGE_MS).toISOString(),
      user_agent: userAgent.slice(0, 300),
    })
    .execute()
  return token
}

export async function findChallenge(db: Kysely<Database>, token: string, now: number): Promise<{ userId: string } | null> {
  const row = await db
    .selectFrom('login_challenges')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', createHash('sha256').update(token).digest('base64url'))
    .executeTakeFirst()
  if (!row || row.expires_at < new Date(now).toISOString()) return null
  return { userId: row.user_id }
}

export async function endChallenge(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('login_challenges').where('token_hash', '=', createHash('sha256').update(token).digest('base64url')).execute()
}
