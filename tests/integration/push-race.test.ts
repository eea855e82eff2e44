import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION, type Mutation, type PushResult } from '../../src/core/sync/protocol.ts'

/**
 * Two server processes on one PostgreSQL database receive the same batches at once (a retry
 * through a load balancer, two tabs), with overlapping mutation ids in different orders. Each
 * takes its locks on mutation ids in one order, so they never deadlock; and a deadlock or
 * serialization failure that does happen is retried, or answered 503, never 500.
 * SQLite has one writer per database file, so the race does not exist there.
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL)

let one: TestServer
let two: TestServer
let org: Org
let jarOne: FetchFn
let jarTwo: FetchFn

beforeAll(async () => {
  if (!onPostgres) return
  one = await startServer()
  two = await startServer({ databaseUrl: one.databaseUrl })
  org = await seedOrg(one.handle)
  jarOne = await signIn(one, org.memberA.phone)
  jarTwo = await signIn(two, org.memberA.phone)
})
afterAll(async () => {
  if (!onPostgres) return
  await two.close()
  await one.close()
})

const create = (title: string): Mutation => ({
  id: newId(),
  table: 'study_records',
  op: 'upsert',
  rowId: newId(),
  fields: { kind: 'self_study', title, date: '2026-11-20', minutes: 30, notes: '', sourceUrl: '', createdAt: new Date().toISOString() },
  clientTime: new Date().toISOString(),
  v: MUTATION_VERSION,
})

/** A deterministic shuffle (so a failure can be replayed). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

async function push(server: TestServer, jar: FetchFn, mutations: Mutation[]): Promise<{ status: number; results: PushResult[] }> {
  const res = await jar(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: newId(), mutations }),
  })
  const body = (await res.json()) as { results?: PushResult[] }
  return { status: res.status, results: body.results ?? [] }
}

describe.skipIf(!onPostgres)('two server processes pushing the same batches (PostgreSQL)', () => {
  it('never fail with 500 and apply every mutation exactly once', async () => {
    const rounds = 12
    const all: Mutation[] = []
    for (let round = 0; round < rounds; round++) {
      const batch = Array.from({ length: 40 }, (_, i) => create(`race-${round}-${i}`))
      all.push(...batch)
      const half = batch.slice(10, 30)
      // The same ids, in four orders, to both processes at once; each process groups its two into one commit.
      const sent: [TestServer, FetchFn, Mutation[]][] = [
        [one, jarOne, batch],
        [two, jarTwo, [...batch].reverse()],
        [one, jarOne, shuffled(half, round + 1)],
        [two, jarTwo, shuffled(batch, round + 101)],
      ]
      const answers = await Promise.all(sent.map(([s, j, m]) => push(s, j, m)))
      // 200 with every mutation answered; a 503 (retry later) would be allowed, a 500 never.
      expect(
        answers.map((a) => a.status).filter((s) => s !== 200 && s !== 503),
        `round ${round}`,
      ).toEqual([])
      const firsts = new Map<string, number>()
      for (const a of answers) {
        for (const r of a.results) {
          expect(r.status, `round ${round}: ${r.code ?? ''} ${r.message ?? ''}`).toBe('applied')
          if (!r.duplicate) firsts.set(r.id, (firsts.get(r.id) ?? 0) + 1)
        }
      }
      // Whatever was answered was applied once: never two first answers for one id.
      expect(
        [...firsts.values()].filter((n) => n !== 1),
        `round ${round}`,
      ).toEqual([])
      // Anything a 503 or a partial answer left out is applied when it is sent again.
      const again = await push(one, jarOne, batch)
      expect(again.status).toBe(200)
      expect(again.results.filter((r) => r.status !== 'applied')).toEqual([])
      for (const r of again.results) if (!r.duplicate) firsts.set(r.id, (firsts.get(r.id) ?? 0) + 1)
      expect(
        batch.filter((m) => firsts.get(m.id) !== 1).map((m) => m.id),
        `round ${round}`,
      ).toEqual([])
    }
    const rows = await one.handle.db.selectFrom('study_records').select(['title']).where('title', 'like', 'race-%').execute()
    expect(rows).toHaveLength(all.length)
    expect(new Set(rows.map((r) => r.title)).size).toBe(all.length)
    const stored = await one.handle.db
      .selectFrom('mutations')
      .select(['id', 'result'])
      .where(
        'id',
        'in',
        all.map((m) => m.id),
      )
      .execute()
    expect(stored).toHaveLength(all.length)
    expect(stored.filter((m) => !m.result.includes('"applied"'))).toEqual([])
  }, 120_000)
})
