import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyReply } from 'fastify'
import { openDatabase, type DbHandle } from '../db/connection.ts'
import { HttpError } from './http-error.ts'
import { addressKey, attemptLimiter, FORGET_AFTER_MS, lockDuration, MAX_LOCK_MS } from './attempt-limits.ts'

const MINUTE = 60_000

describe('addressKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:0:0:1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key)
  })
})

describe('lockDuration', () => {
  it('is a minute at the threshold, doubles with each further failure, and stops at an hour', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 11, 12, 500].map((n) => lockDuration(n, 5) / MINUTE)).toEqual([0, 1, 2, 4, 8, 16, 32, 60, 60, 60])
    expect(lockDuration(1_000_000, 5)).toBe(MAX_LOCK_MS)
  })
})

describe('attemptLimiter (moving the clock)', () => {
  let dir: string
  let handle: DbHandle
  let now = Date.parse('2026-12-01T08:00:00Z')
  const clock = () => now
  const reply = { header: () => reply } as unknown as FastifyReply
  const refused = async (p: Promise<void>): Promise<boolean> => {
    try {
      await p
      return false
    } catch (err) {
      if (err instanceof HttpError && err.code === 'rate_limited') return true
      throw err
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'suixing-limits-'))
    handle = await openDatabase({ dataDir: dir })
  })
  afterAll(async () => {
    await handle.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('forgets failures below the threshold after a 15-minute pause', async () => {
    const limiter = attemptLimiter(handle.db, { perAccountPerMinute: 100, perAddressPerMinute: 100, failuresBeforeLock: 3 }, { clock })
    const phone = '13900000001'
    await limiter.failed('login', phone)
    await limiter.failed('login', phone)
    now += 16 * MINUTE
    await limiter.failed('login', phone)
    expect(await refused(limiter.forAccount('login', phone, reply))).toBe(false)
    await limiter.failed('login', phone)
    await limiter.failed('login', phone)
    expect(await refused(limiter.forAccount('login', phone, reply))).toBe(true)
    // Login and activation are counted apart.
    expect(await refused(limiter.forAccount('activate', phone, reply))).toBe(false)
  })

  it('keeps a locked run for a day, then forgets it', async () => {
    const limiter = attemptLimiter(handle.db, { perAccountPerMinute: 100, perAddressPerMinute: 100, failuresBeforeLock: 2 }, { clock })
    const phone = '13900000002'
    await limiter.failed('login', phone)
    await limiter.failed('login', phone) // locked a minute
    now += 2 * MINUTE
    expect(await refused(limiter.forAccount('login', phone, reply))).toBe(false)
    now += 3 * 60 * MINUTE
    await limiter.failed('login', phone) // still the same run: two minutes
    const row = await handle.db.selectFrom('attempt_failures').selectAll().where('key', '=', `login:${phone}`).executeTakeFirstOrThrow()
    expect(row.failures).toBe(3)
    expect(Date.parse(row.locked_until ?? '') - now).toBe(2 * MINUTE)
    now += FORGET_AFTER_MS + MINUTE
    await limiter.failed('login', phone) // a new run
    expect(await refused(limiter.forAccount('login', phone, reply))).toBe(false)
  })

  it('counts a minute from the first attempt, says when to retry, and prunes what is over', async () => {
    const limiter = attemptLimiter(handle.db, { perAccountPerMinute: 2, perAddressPerMinute: 3, failuresBeforeLock: 5 }, { clock })
    await limiter.failed('login', '13900000003')
    // Across a calendar-minute boundary: still one window.
    now = Math.ceil(now / MINUTE) * MINUTE - 1000
    const results: boolean[] = []
    for (let i = 0; i < 4; i++) {
      results.push(await refused(limiter.fromAddress('login', '198.51.100.1', reply)))
      now += 1000
    }
    expect(results).toEqual([false, false, false, true])
    let retryAfter = ''
    const recording = { header: (_: string, v: string) => ((retryAfter = v), recording) } as unknown as FastifyReply
    expect(await refused(limiter.fromAddress('login', '198.51.100.1', recording))).toBe(true)
    expect(retryAfter).toBe('56')
    expect(await refused(limiter.forAccount('login', '13900000004', reply))).toBe(false)
    expect(await refused(limiter.forAccount('login', '13900000004', reply))).toBe(false)
    expect(await refused(limiter.forAccount('login', '13900000004', reply))).toBe(true)
    now += MINUTE
    expect(await refused(limiter.fromAddress('login', '198.51.100.1', reply))).toBe(false)
    expect(await refused(limiter.forAccount('login', '13900000004', reply))).toBe(false)
    now += FORGET_AFTER_MS + MINUTE
    await limiter.fromAddress('login', '198.51.100.2', reply)
    expect((await handle.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key)).toEqual(['login:addr:198.51.100.2'])
    expect(await handle.db.selectFrom('attempt_failures').selectAll().execute()).toEqual([])
  })

  it("forgets an account's failures, of both kinds, when it signs in", async () => {
    const limiter = attemptLimiter(handle.db, { perAccountPerMinute: 100, perAddressPerMinute: 100, failuresBeforeLock: 5 }, { clock })
    await limiter.failed('login', '13900000005')
    await limiter.failed('activate', '13900000005')
    await limiter.failed('login', '13900000006')
    await limiter.succeeded('13900000005')
    expect((await handle.db.selectFrom('attempt_failures').select('key').execute()).map((r) => r.key)).toEqual(['login:13900000006'])
  })
})
