import type { FastifyReply } from 'fastify'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { HttpError } from './http-error.ts'

/**
 * How many login and activation attempts are allowed. Counted in the database, so every server
 * process shares one allowance; accounts are named by their normalised phone number (core/identifiers.ts),
 * so a number typed with spaces or full-width digits draws on the same allowance as the plain one.
 */
export interface LoginLimits {
  /** Attempts a minute for one account, from any address. */
  perAccountPerMinute: number
  /** Attempts a minute from one address, whatever the account (an office behind one NAT shares it). */
  perAddressPerMinute: number
  /** Failures in a row after which the account is locked (FIRST_LOCK_MS, doubling with each further failure). */
  failuresBeforeLock: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccountPerMinute: 10, perAddressPerMinute: 60, failuresBeforeLock: 5 }

const MINUTE = 60_000
/** Below the lock threshold, failures further apart than this start a new run. */
export const FAILURE_PAUSE_MS = 15 * MINUTE
/** The first lock; each failure after it doubles the lock, up to MAX_LOCK_MS. */
export const FIRST_LOCK_MS = MINUTE
export const MAX_LOCK_MS = 60 * MINUTE
/** A run of failures (and its lock) is forgotten a day after its last failure; so are the rows. */
export const FORGET_AFTER_MS = 24 * 60 * MINUTE

/** Login by password and activation (or a reset) by code: separate allowances of the same size. */
/** Login by password, its second step (a TOTP or recovery code), and activation (or a reset) by code: separate allowances of the same size. */
export type AttemptKind = 'login' | 'totp' | 'activate'
const KINDS: readonly AttemptKind[] = ['login', 'totp', 'activate']

/** How long an account is locked after this many failures in a row (0: not locked). */
export function lockDuration(failures: number, threshold: number): number {
  if (failures < threshold) return 0
  return Math.min(FIRST_LOCK_MS * 2 ** Math.min(failures - threshold, 20), MAX_LOCK_MS)
}

/**
 * The address an allowance is counted for: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by
 * its /64, which one subscriber usually holds whole and could otherwise walk through.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
  if (mapped?.[1]) return mapped[1]
  if (!ip.includes(':')) return ip
  const [head = '', tail] = (ip.toLowerCase().split('%')[0] ?? '').split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  const prefix = groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''))
  return `${prefix.join(':')}::/64`
}

export interface AttemptLimiter {
  /** Counts an attempt from this address; over the allowance, answers 429 `rate_limited`. */
  fromAddress(kind: AttemptKind, ip: string, reply: FastifyReply): Promise<void>
  /**
   * Answers 429 `rate_limited` while the account is locked, else counts an attempt for it and
   * answers 429 over the allowance. Keyed by the phone number whether or not an account has it,
   * so the answer never tells whether the account exists.
   */
  forAccount(kind: AttemptKind, phone: string, reply: FastifyReply): Promise<void>
  /** A wrong password or code: one more failure in the run, and a lock from the threshold on. */
  failed(kind: AttemptKind, phone: string): Promise<void>
  /** Signed in (or a new password set): the account's runs of failures are forgotten. */
  succeeded(phone: string): Promise<void>
}

export interface AttemptLimiterOptions {
  /** Milliseconds since 1970 (tests move time). */
  clock?: () => number
}

export function attemptLimiter(db: Kysely<Database>, limits: LoginLimits, opts: AttemptLimiterOptions = {}): AttemptLimiter {
  const clock = opts.clock ?? Date.now
  const iso = (ms: number) => new Date(ms).toISOString()
  let prunedAt = -Infinity

  function refuse(reply: FastifyReply, retryAfterMs: number): never {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
    void reply.header('retry-after', String(seconds))
    throw new HttpError(429, 'rate_limited', `尝试次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`)
  }

  /** Counters whose minute is over and runs of failures older than a day (at most once a minute per process). */
  async function prune(now: number): Promise<void> {
    if (now - prunedAt < MINUTE) return
    prunedAt = now
    await db
      .deleteFrom('attempt_counters')
      .where('window_start', '<', iso(now - 2 * MINUTE))
      .execute()
    await db
      .deleteFrom('attempt_failures')
      .where('last_failed_at', '<', iso(now - FORGET_AFTER_MS))
      .execute()
  }

  /**
   * One more attempt for `key` in its window (the minute from the first attempt counted in it: no
   * calendar-minute boundary halves a burst); refuses above `max`. One statement, so two
   * processes counting at once both count.
   */
  async function count(key: string, max: number, now: number, reply: FastifyReply): Promise<void> {
    const start = iso(now)
    const expired = iso(now - MINUTE)
    const current = sql.ref('attempt_counters.window_start')
    const row = await db
      .insertInto('attempt_counters')
      .values({ key, window_start: start, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${current} <= ${expired} then 1 else ${sql.ref('attempt_counters.count')} + 1 end`,
          window_start: sql<string>`case when ${current} <= ${expired} then ${start} else ${current} end`,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow()
    if (Number(row.count) > max) refuse(reply, Date.parse(row.window_start) + MINUTE - now)
  }

  return {
    async fromAddress(kind, ip, reply) {
      const now = clock()
      await prune(now)
      await count(`${kind}:addr:${addressKey(ip)}`, limits.perAddressPerMinute, now, reply)
    },

    async forAccount(kind, phone, reply) {
      const now = clock()
      const lock = await db.selectFrom('attempt_failures').select('locked_until').where('key', '=', `${kind}:${phone}`).executeTakeFirst()
      if (lock?.locked_until && lock.locked_until > iso(now)) refuse(reply, Date.parse(lock.locked_until) - now)
      await count(`${kind}:acct:${phone}`, limits.perAccountPerMinute, now, reply)
    },

    async failed(kind, phone) {
      const now = clock()
      const key = `${kind}:${phone}`
      await db.transaction().execute(async (trx) => {
        // A day without failures forgets any run; a 15-minute pause forgets a run that earned no lock yet.
        await trx
          .updateTable('attempt_failures')
          .set({ failures: 0, locked_until: null })
          .where('key', '=', key)
          .where((eb) =>
            eb.or([
              eb('last_failed_at', '<', iso(now - FORGET_AFTER_MS)),
              eb.and([eb('failures', '<', limits.failuresBeforeLock), eb('last_failed_at', '<', iso(now - FAILURE_PAUSE_MS))]),
            ]),
          )
          .execute()
        const row = await trx
          .insertInto('attempt_failures')
          .values({ key, failures: 1, last_failed_at: iso(now), locked_until: null })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({ failures: eb('attempt_failures.failures', '+', 1), last_failed_at: iso(now) })),
          )
          .returning('failures')
          .executeTakeFirstOrThrow()
        const lock = lockDuration(Number(row.failures), limits.failuresBeforeLock)
        if (lock > 0)
          await trx
            .updateTable('attempt_failures')
            .set({ locked_until: iso(now + lock) })
            .where('key', '=', key)
            .execute()
      })
    },

    async succeeded(phone) {
      await db
        .deleteFrom('attempt_failures')
        .where(
          'key',
          'in',
          KINDS.map((k) => `${k}:${phone}`),
        )
        .execute()
    },
  }
}
