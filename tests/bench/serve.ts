// A server for the load test, in its own process so the load generator does not share its CPU.
// `tsx tests/bench/serve.ts bare|bare-pg|push` prints one JSON line: { url, cookie }; `push`, when stopped, a
// second: { statements } (SQL statements run since the first line).
// With TEST_DATABASE_URL, `push` runs on a fresh PostgreSQL database.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { newId } from '../../src/core/ids.ts'
import { cookieFetch, PASSWORD, seedOrg, startServer } from '../integration/harness.ts'

const kind = process.argv[2]
/** SQL statements sent to the database since the server was ready (push only), printed as a last line when stopped. */
let statements: number | null = null
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (statements === null) process.exit(0)
    process.stdout.write(`${JSON.stringify({ statements })}\n`, () => process.exit(0))
  })
}

/** Count every statement: each SQLite statement run (compiled ones are kept and run again) and each PostgreSQL one sent with Client.query. */
function countCalls(proto: object, name: string): void {
  const original = Reflect.get(proto, name) as (...args: unknown[]) => unknown
  Object.defineProperty(proto, name, {
    configurable: true,
    writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      if (statements !== null) statements++
      return original.apply(this, args)
    },
  })
}

if (kind === 'bare') {
  // The baseline: a bare Fastify route doing one better-sqlite3 insert, WAL + synchronous=FULL.
  const db = new SQLite(join(mkdtempSync(join(tmpdir(), 'suixing-bench-bare-')), 'bare.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('create table t (id text primary key, payload text not null)')
  const insert = db.prepare('insert into t (id, payload) values (?, ?)')
  const app = Fastify()
  app.post('/bare', async (req) => {
    insert.run(newId(), JSON.stringify(req.body))
    return { ok: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/bare`, cookie: '' }))
} else if (kind === 'bare-pg') {
  // The PostgreSQL baseline: one INSERT per request through a pool, default synchronous_commit=on.
  const pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 10 })
  await pool.query('create table if not exists bench_bare (id text primary key, payload text not null)')
  const app = Fastify()
  app.post('/bare', async (req) => {
    await pool.query('insert into bench_bare (id, payload) values ($1, $2)', [newId(), JSON.stringify(req.body)])
    return { ok: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/bare`, cookie: '' }))
} else {
  countCalls(pg.Client.prototype, 'query')
  const statement = Object.getPrototypeOf(new SQLite(':memory:').prepare('select 1')) as object
  for (const run of ['run', 'all', 'get', 'iterate']) countCalls(statement, run)
  const server = await startServer()
  const org = await seedOrg(server.handle)
  const f = cookieFetch()
  const res = await f(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: org.memberA.phone, password: PASSWORD }),
  })
  statements = 0
  console.log(JSON.stringify({ url: `${server.url}/api/sync/push`, cookie: (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '' }))
}
