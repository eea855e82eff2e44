import Fastify from 'fastify'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION, type Mutation } from '../../src/core/sync/protocol.ts'
import { commitInOneStatement, groupCommitPusher } from '../../src/server/sync/push.ts'
import { nextSeq } from '../../src/server/repositories/sequence.ts'
import { pull } from '../../src/server/sync/pull.ts'
import { parseCursor } from '../../src/core/sync/protocol.ts'
import type { Viewer } from '../../src/server/lib/viewer.ts'

/**
 * PostgreSQL: a group commit of study records is two statements (a read, then one statement that
 * claims the ids, numbers and writes; src/server/sync/push.ts, commitInOneStatement) whatever its
 * size, with the same answers and rows as the transaction it replaces; and when a row changed or
 * an id was taken between the read and the write, nothing of that statement is kept.
 * The statement is PostgreSQL's (SQLite commits in a transaction, in process, as before).
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL)

/** Counts the statements sent through a Kysely instance; `after` runs once a statement has answered. */
class Statements implements KyselyPlugin {
  sent = 0
  after: ((n: number) => Promise<void>) | null = null
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.sent++
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await this.after?.(this.sent)
    return args.result
  }
}

let server: TestServer
let org: Org
let member: Viewer
let other: Viewer
const log = Fastify().log

beforeAll(async () => {
  if (!onPostgres) return
  server = await startServer()
  org = await seedOrg(server.handle)
  member = { id: org.memberA.id, orgId: org.orgId, branchId: org.branchA, role: 'member', scopeVersion: 0, sessionId: '' }
  other = { ...member, id: org.memberA2.id }
})
afterAll(async () => {
  if (onPostgres) await server.close()
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

const row = (id: string) => server.handle.db.selectFrom('study_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const stored = (id: string) => server.handle.db.selectFrom('mutations').selectAll().where('id', '=', id).executeTakeFirst()
const counter = async () =>
  Number((await server.handle.db.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()).value)

describe.skipIf(!onPostgres)('one statement per group commit (PostgreSQL)', () => {
  it('commits a group of pushes in two statements (creations, edits merged with the server’s text, deletions), or one (creations only)', async () => {
    const edited = newId()
    const deleted = newId()
    const gone = newId()
    const seed = groupCommitPusher(server.handle.db, undefined, { oneStatement: true })
    await seed.push(member, [create(edited, '学习党章'), create(deleted, '要删除的')], log)

    const statements = new Statements()
    const pusher = groupCommitPusher(server.handle.db.withPlugin(statements), undefined, { oneStatement: true })
    const fresh = Array.from({ length: 30 }, () => newId())
    const batches: [Viewer, Mutation[]][] = [
      [member, fresh.slice(0, 10).map((id, i) => create(id, `新建-${i}`))],
      [
        member,
        [mutation(edited, 'upsert', { title: '学习新党章' }), mutation(edited, 'upsert', { notes: '手机上改的' }, { notes: '旧版' })],
      ],
      [other, fresh.slice(10).map((id, i) => create(id, `别人的-${i}`))],
      // The second deletion is of a record the server never had: it leaves a tombstone.
      [member, [mutation(deleted, 'delete'), mutation(gone, 'delete')]],
    ]
    const before = await counter()
    // Pushed in one event-loop turn: one group commit.
    const answers = await Promise.all(batches.map(([viewer, ms]) => pusher.push(viewer, ms, log)))
    expect(statements.sent).toBe(2)
    expect(answers.flat().map((r) => r.status)).toEqual(batches.flatMap(([, ms]) => ms.map(() => 'applied')))

    const one = await row(edited)
    expect(one).toMatchObject({ title: '学习新党章', minutes: 30, owner_id: org.memberA.id, deleted: 0 })
    expect(one.notes).toContain('第一版')
    expect(one.notes).toContain('手机上改的')
    expect(await row(deleted)).toMatchObject({ deleted: 1, title: '要删除的' })
    expect(await row(gone)).toMatchObject({ deleted: 1, owner_id: org.memberA.id })
    expect(await row(fresh[12] as string)).toMatchObject({ owner_id: org.memberA2.id, title: '别人的-2' })
    // Numbered after the counter as it was, one number per row written, in the order planned.
    const seqs = await Promise.all(
      [...fresh.slice(0, 10), edited, ...fresh.slice(10), deleted, gone].map(async (id) => Number((await row(id)).seq)),
    )
    expect(seqs).toEqual(seqs.map((_, i) => before + 1 + i))
    expect(await counter()).toBe(before + seqs.length)
    // Every result stored under its id, for its account.
    const m = batches[2]?.[1][0] as Mutation
    expect(await stored(m.id)).toMatchObject({ user_id: org.memberA2.id, result: JSON.stringify({ id: m.id, status: 'applied' }) })

    // New records only: the one statement, nothing read.
    statements.sent = 0
    const created = await Promise.all(
      [member, other, member].map((viewer, i) => pusher.push(viewer, [create(newId(), `只有新建-${i}`), create(newId(), '又一条')], log)),
    )
    expect(statements.sent).toBe(1)
    expect(created.flat().map((r) => r.status)).toEqual(Array(6).fill('applied'))

    // Sent again (a lost answer): the ids are taken, the statement keeps nothing and the
    // transaction answers the stored results; nothing is applied twice. Each row goes out again
    // (one number per mutation answered again, the rows unchanged) so the phones' next pull
    // corrects what they showed meanwhile.
    const edit = await row(edited)
    const again = await Promise.all(batches.map(([viewer, ms]) => pusher.push(viewer, ms, log)))
    expect(again.flat().map((r) => [r.status, r.duplicate])).toEqual(batches.flatMap(([, ms]) => ms.map(() => ['applied', true])))
    const answered = batches.flatMap(([, ms]) => ms.map((m) => m.rowId))
    expect(await counter()).toBe(before + seqs.length + 6 + new Set(answered).size)
    expect(await row(edited)).toMatchObject({ title: edit.title, notes: edit.notes, minutes: edit.minutes })
    expect(Number((await row(edited)).seq)).toBeGreaterThan(seqs[10] as number)
  })

  it('keeps nothing of the statement when a row changed after it was read', async () => {
    const id = newId()
    await groupCommitPusher(server.handle.db, undefined, { oneStatement: true }).push(member, [create(id, '原来的')], log)
    const statements = new Statements()
    // Another process writes the row between this group's read (statement 1) and its write.
    statements.after = async (n) => {
      if (n !== 1) return
      statements.after = null
      await server.handle.db.transaction().execute(async (trx) => {
        const seq = (
          await trx
            .updateTable('counters')
            .set((eb) => ({ value: eb('value', '+', 1) }))
            .where('name', '=', 'seq')
            .returning('value')
            .executeTakeFirstOrThrow()
        ).value
        await trx.updateTable('study_records').set({ title: '另一台服务器改的', seq }).where('id', '=', id).execute()
      })
    }
    const edit = mutation(id, 'upsert', { minutes: 90 })
    const before = await counter()
    expect(await commitInOneStatement(server.handle.db.withPlugin(statements), [{ viewer: member, mutations: [edit] }], 'read')).toBe(
      'conflict',
    )
    // The other write's number is the only one taken.
    expect(await row(id)).toMatchObject({ title: '另一台服务器改的', minutes: 30, seq: before + 1 })
    expect(await stored(edit.id)).toBeUndefined()
    expect(await counter()).toBe(before + 1)

    // The pusher then commits the group in a transaction, on the row as it now is.
    const [result] = await groupCommitPusher(server.handle.db, undefined, { oneStatement: true }).push(member, [edit], log)
    expect(result?.status).toBe('applied')
    expect(await row(id)).toMatchObject({ title: '另一台服务器改的', minutes: 90, seq: before + 2 })
  })

  it('keeps nothing of the statement when a row it creates appeared, or an id was taken, after the read', async () => {
    const id = newId()
    const creation = create(id, '我的')
    const statements = new Statements()
    statements.after = async (n) => {
      if (n !== 1) return
      statements.after = null
      await groupCommitPusher(server.handle.db, undefined, { oneStatement: true }).push(member, [create(id, '别处先建的')], log)
    }
    const taken = create(newId(), '编号已用')
    await server.handle.db.insertInto('mutations').values({ id: taken.id, user_id: org.memberA.id, result: '', created_at: '' }).execute()
    const before = await counter()
    expect(await commitInOneStatement(server.handle.db.withPlugin(statements), [{ viewer: member, mutations: [creation] }], 'read')).toBe(
      'conflict',
    )
    expect(await row(id)).toMatchObject({ title: '别处先建的', seq: before + 1 })
    expect(await stored(creation.id)).toBeUndefined()
    expect(await counter()).toBe(before + 1)

    expect(await commitInOneStatement(server.handle.db, [{ viewer: member, mutations: [taken] }], 'new')).toBe('conflict')
    expect(await server.handle.db.selectFrom('study_records').select('id').where('id', '=', taken.rowId).executeTakeFirst()).toBeUndefined()
    // Taken to be new without reading it, a row that is there: nothing kept either.
    const again = create(id, '以为是新的')
    expect(await commitInOneStatement(server.handle.db, [{ viewer: member, mutations: [again] }], 'new')).toBe('conflict')
    expect(await row(id)).toMatchObject({ title: '别处先建的', seq: before + 1 })
    expect(await stored(again.id)).toBeUndefined()
    expect(await counter()).toBe(before + 1)
  })

  it('numbers only after an earlier transaction holding the counter commits, so a pull never passes its rows', async () => {
    const db = server.handle.db
    const start = await pull(server.handle.read, server.handle, member, '', 10_000)
    const slow = newId()
    const t1 = await db.startTransaction().execute()
    const s1 = await nextSeq(t1)
    await t1
      .insertInto('study_records')
      .values({
        ...{ id: slow, owner_id: org.memberA.id, branch_id: org.branchA, org_id: org.orgId, kind: 'self_study', title: '慢的' },
        ...{ date: '2026-11-20', minutes: 30, notes: '', source_url: '', created_at: '', updated_at: '', deleted: 0, seq: s1 },
      })
      .execute()

    const fast = newId()
    let done = false
    const committing = commitInOneStatement(db, [{ viewer: member, mutations: [create(fast, '快的')] }], 'new').then((r) => {
      done = true
      return r
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(done).toBe(false) // waiting for the counter
    const during = await pull(server.handle.read, server.handle, member, start.cursor, 10_000)
    expect(during.changes).toEqual([])
    expect(parseCursor(during.cursor)?.seq).toBeLessThan(s1)

    await t1.commit().execute()
    expect(Array.isArray(await committing)).toBe(true)
    expect(Number((await row(fast)).seq)).toBe(s1 + 1)
    const after = await pull(server.handle.read, server.handle, member, during.cursor, 10_000)
    expect(after.changes.map((c) => c.row?.title)).toEqual(['慢的', '快的'])
  })

  it('stores any text exactly as sent (the rows travel as JSON inside the statement)', async () => {
    const texts = [
      '引号 " 和 \' 反斜杠 \\ 与 \\u0041',
      ' emoji 🇨🇳✊ 与换行\n和制表\t',
      '\u2028\u2029 分隔符',
      'x'.repeat(19_000),
      '$1 $$ ::json ',
    ]
    const ids = texts.map(() => newId())
    const creations = ids.map((id, i) => {
      const m = create(id, '标题')
      return { ...m, fields: { ...m.fields, notes: texts[i] } }
    })
    expect(Array.isArray(await commitInOneStatement(server.handle.db, [{ viewer: member, mutations: creations }], 'new'))).toBe(true)
    for (const [i, id] of ids.entries()) expect((await row(id)).notes).toBe(texts[i])
    // Edited with the rows read: the same.
    const titles = ['引号 " 和 \' 反斜杠 \\ $1 ::json', 'emoji 🇨🇳\u2028中', '制表\t在中间', '$$', 'y'.repeat(200)]
    const edits = ids.map((id, i) => mutation(id, 'upsert', { title: titles[i] }))
    expect(Array.isArray(await commitInOneStatement(server.handle.db, [{ viewer: member, mutations: edits }], 'read'))).toBe(true)
    for (const [i, id] of ids.entries()) expect(await row(id)).toMatchObject({ title: titles[i], notes: texts[i] })
  })

  it('leaves to the transaction a group it cannot commit alone: a refusal, another table, an id twice', async () => {
    const id = newId()
    const db = server.handle.db
    expect(await commitInOneStatement(db, [{ viewer: member, mutations: [mutation(id, 'upsert', { title: '没有这条' })] }], 'read')).toBe(
      'not-taken',
    )
    const users = { ...mutation(org.memberA.id, 'upsert', { joinedPartyOn: '2010-07-01' }), table: 'users' as const }
    expect(await commitInOneStatement(db, [{ viewer: member, mutations: [users] }], 'read')).toBe('not-taken')
    // Unread, a deletion (or an edit) is not taken to be of an absent row: nothing would check it.
    expect(await commitInOneStatement(db, [{ viewer: member, mutations: [mutation(id, 'delete')] }], 'new')).toBe('not-taken')
    expect(await commitInOneStatement(db, [{ viewer: member, mutations: [mutation(id, 'upsert', { title: '改' })] }], 'new')).toBe(
      'not-taken',
    )
    const twice = create(id, '两次')
    expect(
      await commitInOneStatement(
        db,
        [
          { viewer: member, mutations: [twice] },
          { viewer: member, mutations: [twice] },
        ],
        'new',
      ),
    ).toBe('not-taken')
    expect(await db.selectFrom('study_records').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined()
  })
})

describe.skipIf(!onPostgres)('hot statements are prepared once per connection (PostgreSQL)', () => {
  it('the session lookup and the flush are sent as named statements, each name always with one text', async () => {
    const sent: { name?: string; text: string }[] = []
    const original = pg.Client.prototype.query
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const [q] = args
      if (q && typeof q === 'object' && 'text' in q) {
        const { name, text } = q as { name?: string; text: string }
        sent.push({ ...(name ? { name } : {}), text })
      }
      return Reflect.apply(original, this, args) as ReturnType<typeof original>
    })
    try {
      const f = await signIn(server, org.memberA.phone)
      for (let i = 0; i < 12; i++) {
        const res = await f(`${server.url}/api/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: newId(), mutations: [create(newId(), `命名语句 ${i}`)] }),
        })
        expect(res.status).toBe(200)
        expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('applied')
        // A pull looks its session up every time (a push may take it from the session cache).
        expect((await f(`${server.url}/api/sync/pull`)).status).toBe(200)
      }
    } finally {
      spy.mockRestore()
    }
    const session = sent.filter((s) => s.name?.startsWith('sx_session_'))
    const flush = sent.filter((s) => s.name?.startsWith('sx_push_flush_'))
    expect(session.length).toBeGreaterThanOrEqual(12)
    expect(flush.length).toBeGreaterThanOrEqual(1)
    const texts = new Map<string, Set<string>>()
    for (const s of sent) if (s.name) texts.set(s.name, (texts.get(s.name) ?? new Set()).add(s.text))
    for (const set of texts.values()) expect(set.size).toBe(1)
    // A group of plain creations always has the same text: one flush name for them all, and one
    // more for the same group checking sessions taken from the session cache.
    expect(new Set(flush.map((s) => s.name)).size).toBeLessThanOrEqual(2)
  })
})
