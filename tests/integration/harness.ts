import { mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { buildApp } from '../../src/server/app.ts'
import { createContext } from '../../src/server/context.ts'
import { openDatabase, type DbHandle } from '../../src/server/db/connection.ts'
import type { PushOptions } from '../../src/server/services/push/web-push.ts'
import type { ChannelConfig } from '../../src/server/services/reminders/channels/index.ts'
import type { LoginLimits } from '../../src/server/lib/attempt-limits.ts'
import type { SchemaStep } from '../../src/core/sync/schema-version.ts'
import type { SecurityOptions } from '../../src/server/lib/security-config.ts'
import { createBranch, createOrganization, createUser } from '../../src/server/repositories/organization.ts'
import { hashPassword } from '../../src/server/lib/passwords.ts'
import { createHttpClient, type FetchFn } from '../../src/client/api/http.ts'
import { endpoints } from '../../src/client/api/endpoints.ts'
import { AccountDb } from '../../src/client/db/account-db.ts'
import type { SessionUser } from '../../src/core/schemas/auth.ts'
import { newId } from '../../src/core/ids.ts'

export const PASSWORD = 'test-password-1'

/**
 * With TEST_DATABASE_URL (a PostgreSQL server URL whose role may create databases) every test
 * server gets a fresh PostgreSQL database instead of a SQLite file: the same suites run on both.
 */
const TEST_PG = process.env.TEST_DATABASE_URL

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = TEST_PG): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** A new, empty PostgreSQL database on the server of `serverUrl` (tests and benchmarks). */
export async function createPgDatabase(serverUrl = TEST_PG): Promise<string> {
  const name = `suixing_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`), serverUrl)
  const url = new URL(serverUrl as string)
  url.pathname = `/${name}`
  return url.toString()
}

export async function dropPgDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const server = new URL(url)
  server.pathname = '/postgres'
  // Without FORCE: a non-superuser may not terminate an autovacuum worker busy on that database
  // (FORCE then fails); a plain DROP cancels autovacuum itself. The server's own pool is closed
  // by now; a connection still closing is waited for.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`drop database if exists ${name}`), server.toString())
      return
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

export interface TestServer {
  url: string
  app: FastifyInstance
  handle: DbHandle
  dataDir: string
  /** The PostgreSQL database, when running on one. */
  databaseUrl: string | undefined
  /** Stop and start again on the same database file (a server restart). */
  restart(): Promise<void>
  /** Stop, do something to the stopped server's data (a restore), start again on the same port. */
  restartAfter(work: () => Promise<void>): Promise<void>
  close(): Promise<void>
}

/**
 * The real server, in process, on 127.0.0.1, with a real SQLite file in a temp dir. Login limits
 * are out of the way here (tests sign in many times from 127.0.0.1, some with wrong passwords);
 * `loginLimits` sets any of them (tests/integration/login-limits.test.ts).
 */
export async function startServer(
  opts: {
    dataDir?: string
    databaseUrl?: string
    loginLimits?: Partial<LoginLimits>
    push?: PushOptions
    channels?: ChannelConfig
    schemaHistory?: readonly SchemaStep[]
    /** Two-factor login is not required of administrators here unless a test asks (tests/integration/two-factor.test.ts). */
    security?: Partial<SecurityOptions>
    /** The server's logger (off unless given: a test that reads the log lines). */
    logger?: FastifyServerOptions['logger']
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'suixing-test-'))
  const pgDatabase = opts.databaseUrl ?? (TEST_PG ? await createPgDatabase() : undefined)
  let port = 0
  const open = async () => {
    const handle = await openDatabase({ dataDir, databaseUrl: pgDatabase })
    const app = await buildApp({
      ctx: createContext(handle, {
        version: 'test',
        loginLimits: { perAccountPerMinute: 1000, perAddressPerMinute: 1000, failuresBeforeLock: 1000, ...opts.loginLimits },
        push: opts.push,
        channels: opts.channels,
        photoDir: join(dataDir, 'photos'),
        schemaHistory: opts.schemaHistory,
        security: { requireAdminTwoFactor: false, ...opts.security },
      }),
      clientDir: null,
      ...(opts.logger !== undefined && { logger: opts.logger }),
    })
    await app.listen({ port, host: '127.0.0.1' })
    const addr = app.server.address()
    if (addr && typeof addr === 'object') port = addr.port
    return { handle, app }
  }
  let cur = await open()
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get app() {
      return cur.app
    },
    get handle() {
      return cur.handle
    },
    dataDir,
    databaseUrl: pgDatabase,
    async restart() {
      await cur.app.close()
      await cur.handle.close()
      cur = await open()
    },
    async restartAfter(work) {
      await cur.app.close()
      await cur.handle.close()
      await work()
      cur = await open()
    },
    async close() {
      await cur.app.close()
      await cur.handle.close()
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
      if (pgDatabase && !opts.databaseUrl) await dropPgDatabase(pgDatabase)
    },
  }
  return server
}

export interface Org {
  orgId: string
  branchA: string
  branchB: string
  memberA: { id: string; phone: string }
  memberA2: { id: string; phone: string }
  secretaryA: { id: string; phone: string }
  memberB: { id: string; phone: string }
  admin: { id: string; phone: string }
}

export async function seedOrg(handle: DbHandle): Promise<Org> {
  const passwordHash = await hashPassword(PASSWORD)
  return handle.db.transaction().execute(async (trx) => {
    const orgId = await createOrganization(trx, '测试机关党委')
    const branchA = await createBranch(trx, orgId, '第一党支部')
    const branchB = await createBranch(trx, orgId, '第二党支部')
    const mk = async (name: string, phone: string, branchId: string | null, role: 'member' | 'secretary' | 'admin') => ({
      id: await createUser(trx, { orgId, branchId, name, phone, role, passwordHash }),
      phone,
    })
    return {
      orgId,
      branchA,
      branchB,
      memberA: await mk('张三', '13800000001', branchA, 'member'),
      memberA2: await mk('李四', '13800000002', branchA, 'member'),
      secretaryA: await mk('王书记', '13800000003', branchA, 'secretary'),
      memberB: await mk('赵六', '13800000004', branchB, 'member'),
      admin: await mk('管理员', '13800000005', null, 'admin'),
    }
  })
}

/** A fetch that keeps cookies like a browser does for one origin. */
export function cookieFetch(): FetchFn {
  const jar = new Map<string, string>()
  return async (input, init) => {
    const headers = new Headers(init?.headers)
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await fetch(input, { ...init, headers })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, ...rest] = (pair ?? '').split('=')
      if (k) jar.set(k.trim(), rest.join('='))
    }
    return res
  }
}

/** A cookie jar signed in as `phone`, as a browser holds one account's session. */
export async function signIn(server: TestServer, phone: string): Promise<FetchFn> {
  const f = cookieFetch()
  const res = await f(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }),
  })
  if (!res.ok) throw new Error(`sign-in of ${phone} failed with ${res.status}`)
  return f
}

export interface Device {
  api: ReturnType<typeof endpoints>
  fetch: FetchFn
  db: AccountDb
  user: SessionUser
}

/** A signed-in device: its own cookie jar, its own IndexedDB (fake-indexeddb). */
export async function device(server: TestServer, phone: string, wrap?: (f: FetchFn) => FetchFn): Promise<Device> {
  const base = cookieFetch()
  const f = wrap ? wrap(base) : base
  const api = endpoints(createHttpClient(server.url, (i, init) => f(i, init)))
  const signed = await endpoints(createHttpClient(server.url, base)).login({ phone, password: PASSWORD })
  if (!('user' in signed)) throw new Error('two-factor login enrolled: sign in with the second step')
  const { user } = signed
  return { api, fetch: f, db: new AccountDb(`test-${newId()}`), user }
}
