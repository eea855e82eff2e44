// A server for the load test, in its own process so the load generator does not share its CPU.
// `tsx tests/bench/serve.ts bare|push` prints one JSON line: { url, cookie }.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import SQLite from 'better-sqlite3'
import { newId } from '../../src/core/ids.ts'
import { cookieFetch, PASSWORD, seedOrg, startServer } from '../integration/harness.ts'

const kind = process.argv[2]
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0))

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
} else {
  const server = await startServer()
  const org = await seedOrg(server.handle)
  const f = cookieFetch()
  const res = await f(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: org.memberA.phone, password: PASSWORD }),
  })
  console.log(JSON.stringify({ url: `${server.url}/api/sync/push`, cookie: (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '' }))
}
