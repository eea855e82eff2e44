import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION, type Mutation, type PushResult } from '../../src/core/sync/protocol.ts'

/**
 * Study records of a group commit are planned in memory and written in a few statements at the
 * end (src/server/sync/push.ts, Batched). The answers and the rows must be what one mutation at a
 * time gives: a refusal has no effect and shows the row as the batch left it, later mutations
 * see earlier ones of the same batch, a repeated id is answered as a duplicate, and every row
 * written gets its own sequence number in the order written.
 */
let server: TestServer
let org: Org
let member: FetchFn
let other: FetchFn

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  member = await signIn(server, org.memberA.phone)
  other = await signIn(server, org.memberA2.phone)
})
afterAll(async () => {
  await server.close()
})

const mutation = (rowId: string, op: 'upsert' | 'delete', fields?: Record<string, unknown>, base?: Record<string, unknown>): Mutation => ({
  id: newId(),
  table: 'study_records',
  op,
  rowId,
  ...(fields ? { fields } : {}),
  ...(base ? { base } : {}),
  clientTime: new Date().toISOString(),
  v: MUTATION_VERSION,
})
const create = (rowId: string, title: string): Mutation =>
  mutation(rowId, 'upsert', {
    kind: 'self_study',
    title,
    date: '2026-11-20',
    minutes: 30,
    notes: '第一版',
    sourceUrl: '',
    createdAt: new Date().toISOString(),
  })

async function push(jar: FetchFn, mutations: Mutation[]): Promise<PushResult[]> {
  const res = await jar(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: newId(), mutations }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { results: PushResult[] }).results
}

const row = (id: string) => server.handle.db.selectFrom('study_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('batched push of study records', () => {
  it('answers and writes what one mutation at a time would', async () => {
    const othersRow = newId()
    expect((await push(other, [create(othersRow, '别人的记录')]))[0]?.status).toBe('applied')
    const gone = newId()
    expect((await push(member, [create(gone, '已删除'), mutation(gone, 'delete')])).map((r) => r.status)).toEqual(['applied', 'applied'])

    const r1 = newId()
    const r2 = newId()
    const first = create(r1, '学习党章')
    const batch: Mutation[] = [
      first,
      mutation(r1, 'upsert', { title: '学习新党章' }),
      mutation(r1, 'upsert', { notes: '手机上改的' }, { notes: '另一台设备看到的旧版' }),
      mutation(r1, 'upsert', { minutes: -5 }),
      { ...first },
      create(r2, '第二条'),
      mutation(r2, 'delete'),
      mutation(othersRow, 'upsert', { title: '改别人的' }),
      mutation(gone, 'upsert', { title: '复活' }),
      {
        id: newId(),
        table: 'users',
        op: 'upsert',
        rowId: org.memberA.id,
        fields: { joinedPartyOn: '2010-07-01' },
        clientTime: new Date().toISOString(),
        v: MUTATION_VERSION,
      },
      mutation(r1, 'upsert', { minutes: 50 }),
    ]
    const results = await push(member, batch)
    expect(results.map((r) => [r.status, r.code ?? null, r.duplicate ?? false])).toEqual([
      ['applied', null, false],
      ['applied', null, false],
      ['applied', null, false],
      ['rejected', 'validation', false],
      ['applied', null, true],
      ['applied', null, false],
      ['applied', null, false],
      ['rejected', 'forbidden', false],
      ['rejected', 'deleted', false],
      ['applied', null, false],
      ['applied', null, false],
    ])
    // The refusal shows the row with the batch's earlier changes, and changed nothing.
    expect(results[3]?.row).toMatchObject({ id: r1, title: '学习新党章', minutes: 30 })
    expect(results[7]?.row).toBeNull()

    const one = await row(r1)
    expect(one).toMatchObject({ title: '学习新党章', minutes: 50, deleted: 0, owner_id: org.memberA.id })
    // Written on another device from an older text: both versions kept.
    expect(one.notes).toContain('第一版')
    expect(one.notes).toContain('手机上改的')
    expect(await row(r2)).toMatchObject({ deleted: 1, title: '第二条' })
    expect(await row(othersRow)).toMatchObject({ title: '别人的记录' })
    expect(await row(gone)).toMatchObject({ deleted: 1, title: '已删除' })
    // r1 was written last (its last edit ends the batch): numbered after r2.
    const seqs = [Number(one.seq), Number((await row(r2)).seq)]
    expect(seqs[1]).toBeGreaterThan(0)
    expect(seqs[0]).toBeGreaterThan(seqs[1] as number)

    // Sent again (a lost answer): the stored results, nothing applied twice. The rows go out again
    // (numbered anew, unchanged), so the phone's next pull corrects what it showed meanwhile.
    const again = await push(member, batch)
    expect(again.map((r) => r.duplicate)).toEqual(batch.map(() => true))
    expect(again.map((r) => r.status)).toEqual(results.map((r) => r.status))
    const after = await row(r1)
    expect(after).toMatchObject({ title: one.title, notes: one.notes, minutes: 50, deleted: 0 })
    expect(Number(after.seq)).toBeGreaterThan(seqs[0] as number)
  })

  it('applies pushes that share one group commit, each once', async () => {
    const batches = Array.from({ length: 8 }, (_, i) => Array.from({ length: 5 }, (_, j) => create(newId(), `并发-${i}-${j}`)))
    const answers = await Promise.all(batches.map((b, i) => push(i % 2 ? other : member, b)))
    expect(answers.flat().map((r) => r.status)).toEqual(batches.flat().map(() => 'applied'))
    const rows = await server.handle.db
      .selectFrom('study_records')
      .select(['id', 'seq'])
      .where(
        'id',
        'in',
        batches.flat().map((m) => m.rowId),
      )
      .execute()
    expect(rows).toHaveLength(40)
    expect(new Set(rows.map((r) => Number(r.seq))).size).toBe(40)
    // A mutation id of another account is refused as a conflict, batched or not.
    const stolen = batches[0]?.[0] as Mutation
    expect((await push(other, [stolen]))[0]).toMatchObject({ status: 'rejected', code: 'conflict' })
  })
})
