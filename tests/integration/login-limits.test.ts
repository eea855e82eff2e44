import { afterAll, describe, expect, it } from 'vitest'
import { PASSWORD, seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import type { LoginLimits } from '../../src/server/lib/attempt-limits.ts'
import { issueActivationCode } from '../../src/server/services/admin/activation.ts'
import { createUser } from '../../src/server/repositories/organization.ts'
import { NO_PASSWORD } from '../../src/server/services/admin/people.ts'

/**
 * Login and activation limits: one allowance per account whatever spelling of its number is
 * typed, one per address whatever account, shared by every server process on the database, and
 * a lock after repeated failures that looks the same whether or not the account exists.
 */

const servers: TestServer[] = []
afterAll(async () => {
  // Second processes first: the first one owns the data directory or database.
  for (const s of servers.reverse()) await s.close()
})

async function serve(limits: Partial<LoginLimits>, on?: TestServer): Promise<{ server: TestServer; org: Org }> {
  const server = await startServer({ loginLimits: limits, ...(on ? { dataDir: on.dataDir, databaseUrl: on.databaseUrl } : {}) })
  servers.push(server)
  return { server, org: on ? (undefined as unknown as Org) : await seedOrg(server.handle) }
}

interface Answer {
  status: number
  code: string | undefined
  message: string | undefined
  retryAfter: number | null
}

async function post(server: TestServer, url: string, payload: Record<string, string>, remoteAddress = '127.0.0.1'): Promise<Answer> {
  const res = await server.app.inject({ method: 'POST', url, payload, remoteAddress })
  const body = res.statusCode === 200 ? null : (JSON.parse(res.body) as { error?: { code?: string; message?: string } })
  const retry = res.headers['retry-after']
  return {
    status: res.statusCode,
    code: body?.error?.code,
    message: body?.error?.message,
    retryAfter: retry === undefined ? null : Number(retry),
  }
}

const login = (server: TestServer, phone: string, password: string, remoteAddress?: string) =>
  post(server, '/api/auth/login', { phone, password }, remoteAddress)
const activate = (server: TestServer, phone: string, code: string, password = 'my-new-password', remoteAddress?: string) =>
  post(server, '/api/auth/activate', { phone, code, password }, remoteAddress)

const fullWidth = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
/** Ways a person (or an attacker) may type one number. */
const spellings = (p: string) => [
  p,
  ` ${p}`,
  `\t${p}`,
  `\u3000${p}`,
  fullWidth(p),
  `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`,
  `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`,
  `${p}\u00a0`,
  `+86 ${p}`,
]

describe('the login allowance per account', () => {
  it('is one allowance for every spelling of a number (spaces, tabs, U+3000, full-width digits)', async () => {
    const { server, org } = await serve({ perAccountPerMinute: 5, failuresBeforeLock: 1000 })
    const variants = spellings(org.memberA.phone)
    const answers: number[] = []
    for (const phone of variants.slice(0, 7)) answers.push((await login(server, phone, 'wrong-password')).status)
    expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429])
    const refused = await login(server, variants[8] ?? '', 'wrong-password')
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1)
    expect(refused.retryAfter).toBeLessThanOrEqual(60)
  })

  it('refuses a padded number with the right password while the plain number is refused', async () => {
    const { server, org } = await serve({ perAccountPerMinute: 5, failuresBeforeLock: 1000 })
    const phone = org.memberA2.phone
    for (let i = 0; i < 5; i++) expect((await login(server, phone, 'wrong-password')).status).toBe(401)
    expect((await login(server, phone, PASSWORD)).status).toBe(429)
    for (const padded of [` ${phone} `, `\u3000${phone}`, `\t${phone}\n`, fullWidth(phone), `${phone.slice(0, 3)} ${phone.slice(3)}`]) {
      expect(await login(server, padded, PASSWORD)).toMatchObject({ status: 429, code: 'rate_limited' })
    }
    // Another account from the same address is not locked out by it.
    expect((await login(server, org.memberB.phone, PASSWORD)).status).toBe(200)
  })

  it('holds across addresses', async () => {
    const { server, org } = await serve({ perAccountPerMinute: 5, failuresBeforeLock: 1000 })
    for (let i = 0; i < 5; i++) expect((await login(server, org.memberB.phone, 'wrong-password', `10.0.0.${i + 1}`)).status).toBe(401)
    expect((await login(server, org.memberB.phone, PASSWORD, '10.0.0.99')).status).toBe(429)
  })
})

describe('the login allowance per address', () => {
  it('holds across accounts, and leaves other addresses alone', async () => {
    const { server, org } = await serve({ perAddressPerMinute: 5, failuresBeforeLock: 1000 })
    const phones = ['13800000001', '13800000002', '13800000003', '13800000004', '13812345678']
    for (const phone of phones) expect((await login(server, phone, 'wrong-password', '192.0.2.7')).status).toBe(401)
    expect(await login(server, org.admin.phone, PASSWORD, '192.0.2.7')).toMatchObject({ status: 429, code: 'rate_limited' })
    expect((await login(server, org.admin.phone, PASSWORD, '192.0.2.8')).status).toBe(200)
    // One IPv6 subscriber (a /64) is one address.
    for (let i = 1; i <= 5; i++) expect((await login(server, '13812345678', 'wrong-password', `2001:db8:1:2::${i}`)).status).toBe(401)
    expect((await login(server, org.admin.phone, PASSWORD, '2001:db8:1:2:ffff::1')).status).toBe(429)
  })
})

describe('two server processes on one database', () => {
  it('share the counters', async () => {
    const limits = { perAccountPerMinute: 5, failuresBeforeLock: 1000 }
    const { server: first, org } = await serve(limits)
    const { server: second } = await serve(limits, first)
    const statuses: number[] = []
    for (const server of [first, second, first, second, first, second, first])
      statuses.push((await login(server, org.memberA.phone, 'wrong-password')).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    expect((await login(second, ` ${org.memberA.phone}`, PASSWORD)).status).toBe(429)
  })
})

describe('the lock after repeated failures', () => {
  it('gives the same answers for an existing and a non-existing account, even to the right password', async () => {
    const { server, org } = await serve({ failuresBeforeLock: 5 })
    const run = async (phone: string) => {
      const answers: Answer[] = []
      for (let i = 0; i < 5; i++) answers.push(await login(server, phone, 'wrong-password'))
      answers.push(await login(server, phone, PASSWORD), await login(server, ` ${phone}`, PASSWORD))
      // Seconds may tick between the two runs: compare them separately.
      return {
        answers: answers.map(({ retryAfter, ...rest }) => ({ ...rest, retryAfter: retryAfter === null ? null : 'set' })),
        retryAfter: answers.at(-1)?.retryAfter,
      }
    }
    const existing = await run(org.secretaryA.phone)
    const missing = await run('13877776666')
    expect(existing.answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429])
    expect(existing.answers).toEqual(missing.answers)
    expect(existing.answers[5]?.code).toBe('rate_limited')
    // The first lock is a minute.
    for (const r of [existing.retryAfter, missing.retryAfter]) {
      expect(r).toBeGreaterThan(50)
      expect(r).toBeLessThanOrEqual(60)
    }
  })

  it('grows with each further failure, and a successful login ends it', async () => {
    const { server, org } = await serve({ failuresBeforeLock: 5 })
    const phone = org.memberB.phone
    const expire = () =>
      server.handle.db
        .updateTable('attempt_failures')
        .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
        .execute()
    for (let i = 0; i < 5; i++) await login(server, phone, 'wrong-password')
    expect((await login(server, phone, 'wrong-password')).retryAfter).toBeLessThanOrEqual(60)
    await expire()
    // The sixth failure: two minutes; the seventh: four.
    expect((await login(server, phone, 'wrong-password')).status).toBe(401)
    const second = await login(server, phone, PASSWORD)
    expect(second.status).toBe(429)
    expect(second.retryAfter).toBeGreaterThan(110)
    expect(second.retryAfter).toBeLessThanOrEqual(120)
    await expire()
    expect((await login(server, phone, 'wrong-password')).status).toBe(401)
    expect((await login(server, phone, PASSWORD)).retryAfter).toBeGreaterThan(230)
    await expire()
    expect((await login(server, phone, PASSWORD)).status).toBe(200)
    // A fresh allowance of failures after the success.
    for (let i = 0; i < 5; i++) expect((await login(server, phone, 'wrong-password')).status).toBe(401)
    expect((await login(server, phone, PASSWORD)).status).toBe(429)
  })
})

describe('activation codes', () => {
  async function personWithCode(server: TestServer, org: Org, phone: string): Promise<string> {
    const id = await createUser(server.handle.db, {
      orgId: org.orgId,
      branchId: org.branchA,
      name: '新同志',
      phone,
      role: 'member',
      passwordHash: NO_PASSWORD,
    })
    return (await issueActivationCode(server.handle.db, id, org.admin.id)).code
  }

  it('work typed with a space, a dash, in lower case or in full-width letters, with the number typed loosely', async () => {
    const { server, org } = await serve({ failuresBeforeLock: 5 })
    const typed = [
      (c: string) => `${c.slice(0, 4)} ${c.slice(4)}`,
      (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`,
      (c: string) => ` ${c.toLowerCase()}\u3000`,
      (c: string) => fullWidth(c),
    ]
    for (const [i, spell] of typed.entries()) {
      const phone = `1350000000${i}`
      const code = await personWithCode(server, org, phone)
      expect(await activate(server, `${phone.slice(0, 3)} ${phone.slice(3)}`, spell(code))).toMatchObject({ status: 200 })
      expect((await login(server, phone, 'my-new-password')).status).toBe(200)
    }
  })

  it('share one allowance per number whatever its spelling, and the right code is refused with it', async () => {
    const { server, org } = await serve({ perAccountPerMinute: 5, failuresBeforeLock: 1000 })
    const phone = '13500000009'
    const code = await personWithCode(server, org, phone)
    const wrong = code.startsWith('A') ? 'BBBBBBBB' : 'AAAAAAAA'
    const statuses: number[] = []
    for (const p of spellings(phone).slice(0, 6)) statuses.push((await activate(server, p, wrong)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    expect(await activate(server, `\u3000${phone}`, code)).toMatchObject({ status: 429, code: 'rate_limited' })
    // Login has an allowance of its own.
    expect((await login(server, org.memberA.phone, PASSWORD)).status).toBe(200)
  })

  it('lock a number after repeated wrong codes, the same whether or not anyone has it', async () => {
    const { server, org } = await serve({ failuresBeforeLock: 5 })
    const phone = '13500000008'
    const code = await personWithCode(server, org, phone)
    const wrong = code.startsWith('A') ? 'BBBBBBBB' : 'AAAAAAAA'
    const run = async (p: string, last: string) => {
      const out: (string | number | undefined)[] = []
      for (let i = 0; i < 5; i++) {
        const a = await activate(server, p, wrong)
        out.push(a.status, a.code)
      }
      const a = await activate(server, p, last)
      return [...out, a.status, a.code]
    }
    const existing = await run(phone, code)
    expect(existing.slice(-2)).toEqual([429, 'rate_limited'])
    expect(await run('13500000007', code)).toEqual(existing)
  })
})
