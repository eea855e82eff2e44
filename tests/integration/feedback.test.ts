import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { device, seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import {
  answerFeedback,
  feedbackForAnswering,
  myFeedback,
  submitFeedback,
  withdrawFeedback,
} from '../../src/client/features/feedback/feedback.repo.ts'
import { MUTATION_VERSION, type PullResponse, type PushResponse } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../src/core/sync/schema-version.ts'
import { feedbackToWire } from '../../src/server/sync/tables/feedback.ts'
import type { Viewer } from '../../src/server/lib/viewer.ts'
import { backup, restore } from '../../src/server/ops/backup.ts'

/**
 * 投诉建议 (issue 17): who may read an item (its author and administrators only), who learns its
 * author (never an ordinary member or a secretary, whatever the item), who writes it (the author
 * creates and withdraws before the answer; administrators answer), offline like every table.
 */
let server: TestServer
let org: Org
let member: Device
let peer: Device
let secretary: Device
let admin: Device
let other: Device
let anonymousId = ''
let namedId = ''
let peerId = ''
let otherId = ''
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  member = await device(server, org.memberA.phone)
  peer = await device(server, org.memberA2.phone)
  secretary = await device(server, org.secretaryA.phone)
  admin = await device(server, org.admin.phone)
  other = await device(server, org.memberB.phone)
  // Written offline (nothing is sent until sync).
  anonymousId = await submitFeedback(member.db, member.user, { category: 'complaint', text: '支部会议通知太晚', anonymous: true })
  namedId = await submitFeedback(member.db, member.user, { category: 'suggestion', text: '希望增加线上学习资料', anonymous: false })
  peerId = await submitFeedback(peer.db, peer.user, { category: 'suggestion', text: '活动室开放时间延长', anonymous: false })
  otherId = await submitFeedback(other.db, other.user, { category: 'complaint', text: '党费收据未及时发放', anonymous: true })
  for (const d of [member, peer, other, secretary, admin]) expect(await sync(d)).toEqual({ ok: true })
})
afterAll(() => server.close())

/** Every change a person's pull delivers, raw (what reaches the phone, before any client filtering). */
async function pulled(d: Device): Promise<PullResponse['changes']> {
  const out: PullResponse['changes'] = []
  let cursor = ''
  for (;;) {
    const res = await d.fetch(`${server.url}/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=2000`, {
      headers: { [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
    })
    const page = (await res.json()) as PullResponse
    out.push(...page.changes)
    cursor = page.cursor
    if (!page.hasMore) return out
  }
}

async function push(d: Device, m: { op: 'upsert' | 'delete'; rowId: string; fields?: Record<string, unknown> }) {
  const res = await d.fetch(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
    body: JSON.stringify({
      clientId: newId(),
      mutations: [{ id: newId(), table: 'feedback', clientTime: new Date().toISOString(), v: MUTATION_VERSION, ...m }],
    }),
  })
  const [r] = ((await res.json()) as PushResponse).results
  return r
}

describe('投诉建议: reading', () => {
  it('the author reads their own items with their name; administrators read every item with its author', async () => {
    expect((await myFeedback(member.db, member.user.id)).map((f) => f.id).sort()).toEqual([anonymousId, namedId].sort())
    const all = await admin.db.feedback.toArray()
    expect(all.map((f) => f.id).sort()).toEqual([anonymousId, namedId, peerId, otherId].sort())
    expect(all.find((f) => f.id === anonymousId)).toMatchObject({ authorId: org.memberA.id, anonymous: true, branchId: org.branchA })
    expect(all.find((f) => f.id === otherId)).toMatchObject({ authorId: org.memberB.id, anonymous: true })
  })

  it('a member never reads another member’s item; a secretary reads none (not even a named one of the branch)', async () => {
    for (const [d, own] of [
      [member, [anonymousId, namedId]],
      [peer, [peerId]],
      [other, [otherId]],
      [secretary, []],
    ] as const) {
      const rows = (await pulled(d)).filter((c) => c.table === 'feedback')
      expect(rows.map((c) => c.rowId).sort(), d.user.name).toEqual([...own].sort())
      // And no row that reaches them names anybody but themselves.
      for (const c of rows) expect((c.row as { authorId: string | null }).authorId).toBe(d.user.id)
      expect((await d.db.feedback.toArray()).map((f) => f.id).sort()).toEqual([...own].sort())
    }
  })

  it('a refused write answers nothing about an item the writer may not read (no text, no author)', async () => {
    for (const d of [secretary, peer, other]) {
      const r = await push(d, { op: 'upsert', rowId: anonymousId, fields: { answer: '收到' } })
      expect(r).toMatchObject({ status: 'rejected', code: 'forbidden' })
      expect(r?.row ?? null).toBeNull()
      const del = await push(d, { op: 'delete', rowId: anonymousId })
      expect(del).toMatchObject({ status: 'rejected', code: 'forbidden', row: null })
    }
  })

  it('the wire mapping itself strips the author for anyone but the author and administrators', () => {
    const row = {
      id: anonymousId,
      org_id: org.orgId,
      branch_id: org.branchA,
      author_id: org.memberA.id,
      category: 'complaint' as const,
      text: 'x',
      anonymous: 1,
      answer: '',
      answered_by: null,
      answered_at: null,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      deleted: 0,
      seq: 1,
    }
    const viewer = (id: string, role: Viewer['role']): Viewer => ({
      id,
      role,
      branchId: org.branchA,
      orgId: org.orgId,
      scopeVersion: 0,
      sessionId: 'x',
    })
    expect(feedbackToWire(row, viewer(org.secretaryA.id, 'secretary')).authorId).toBeNull()
    expect(feedbackToWire(row, viewer(org.memberA2.id, 'member')).authorId).toBeNull()
    expect(feedbackToWire(row, viewer(org.memberA.id, 'member')).authorId).toBe(org.memberA.id)
    expect(feedbackToWire(row, viewer(org.admin.id, 'admin')).authorId).toBe(org.memberA.id)
    expect(feedbackToWire({ ...row, org_id: newId() }, viewer(org.admin.id, 'admin')).authorId).toBeNull()
  })
})

describe('投诉建议: writing', () => {
  it('the author and branch are the server’s: a phone cannot name another author', async () => {
    const r = await push(peer, {
      op: 'upsert',
      rowId: newId(),
      fields: { category: 'complaint', text: '冒名', anonymous: false, createdAt: new Date().toISOString(), authorId: org.memberA.id },
    })
    expect(r).toMatchObject({ status: 'rejected', code: 'validation' })
  })

  it('only administrators answer; the author cannot edit; the member sees the answer after sync', async () => {
    expect(await push(member, { op: 'upsert', rowId: namedId, fields: { text: '改一下' } })).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
    })
    expect(await push(secretary, { op: 'upsert', rowId: namedId, fields: { answer: '好' } })).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
    })
    // Unanswered first for the administrator.
    expect((await feedbackForAnswering(admin.db)).slice(0, 4).every((f) => !f.answeredAt)).toBe(true)
    await answerFeedback(admin.db, admin.user, anonymousId, '已要求支部提前三天发通知')
    expect(await sync(admin)).toEqual({ ok: true })
    const list = await feedbackForAnswering(admin.db)
    expect(list.at(-1)?.id).toBe(anonymousId)
    expect(await sync(member)).toEqual({ ok: true })
    expect(await member.db.feedback.get(anonymousId)).toMatchObject({
      answer: '已要求支部提前三天发通知',
      answeredBy: org.admin.id,
      authorId: org.memberA.id,
    })
    // The secretary still reads nothing of it.
    await sync(secretary)
    expect(await secretary.db.feedback.count()).toBe(0)
  })

  it('the author withdraws an unanswered item (its text erased on the server), not an answered one', async () => {
    await withdrawFeedback(member.db, namedId)
    expect(await sync(member)).toEqual({ ok: true })
    const stored = await server.handle.db.selectFrom('feedback').selectAll().where('id', '=', namedId).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ deleted: 1, text: '' })
    await sync(admin)
    const gone = await admin.db.feedback.get(namedId)
    expect(gone === undefined || gone.deleted).toBe(true)
    expect(await push(member, { op: 'delete', rowId: anonymousId })).toMatchObject({ status: 'rejected', code: 'conflict' })
  })

  it('is in the member’s personal export (JSON and xlsx), and nobody else’s', async () => {
    const mine = (await (await member.fetch(`${server.url}/api/me/export`)).json()) as { feedback: { text: string; answer: string }[] }
    expect(mine.feedback).toEqual([
      expect.objectContaining({ text: '支部会议通知太晚', answer: '已要求支部提前三天发通知', anonymous: true }),
    ])
    const theirs = (await (await peer.fetch(`${server.url}/api/me/export`)).json()) as { feedback: { text: string }[] }
    expect(theirs.feedback.map((f) => f.text)).toEqual(['活动室开放时间延长'])
    const xlsx = await member.fetch(`${server.url}/api/me/export.xlsx`)
    expect(xlsx.status).toBe(200)
  })
})

describe('投诉建议 sent back to a restored server (docs/sync.md, "Restore")', () => {
  it('the member’s item and the administrator’s answer both come back, in that order', async () => {
    const s = await startServer()
    try {
      const o = await seedOrg(s.handle)
      const m = await device(s, o.memberA.phone)
      const a = await device(s, o.admin.phone)
      const syncM = new SyncEngine(m.db, m.api)
      const syncA = new SyncEngine(a.db, a.api)
      expect(await syncM.sync()).toEqual({ ok: true })
      const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })
      const id = await submitFeedback(m.db, m.user, { category: 'complaint', text: '恢复前提交的', anonymous: true })
      expect(await syncM.sync()).toEqual({ ok: true })
      expect(await syncA.sync()).toEqual({ ok: true })
      await answerFeedback(a.db, a.user, id, '恢复前答复的')
      expect(await syncA.sync()).toEqual({ ok: true })
      await s.restartAfter(async () => {
        await restore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, from: dir })
      })
      for (const d of [m, a]) await d.api.me().catch(() => undefined)
      // The administrator's phone may come back first: its answer waits for the member's item.
      for (let round = 0; round < 3; round++) {
        await syncA.sync()
        await syncM.sync()
      }
      const row = await s.handle.db.selectFrom('feedback').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      expect(row).toMatchObject({
        author_id: o.memberA.id,
        text: '恢复前提交的',
        anonymous: 1,
        answer: '恢复前答复的',
        answered_by: o.admin.id,
      })
      expect(await m.db.outbox.count()).toBe(0)
      expect(await a.db.outbox.count()).toBe(0)
      expect(await m.db.feedback.get(id)).toMatchObject({ answer: '恢复前答复的' })
    } finally {
      await s.close()
    }
  })
})
