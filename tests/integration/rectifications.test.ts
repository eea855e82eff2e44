import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { MUTATION_VERSION, type PullResponse, type PushResponse } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import { addRectification, closeRectification } from '../../src/client/features/meetings/rectify.repo.ts'

/**
 * 整改清单 (the year's-end issue, item 5): listed by the branch's secretary, published to the whole
 * branch, each item closed with a note by its owner or the secretary; nobody outside the branch
 * reads it (administrators excepted).
 */
let server: TestServer
let org: Org
const dev = {} as Record<'secretary' | 'owner' | 'peer' | 'outsider' | 'admin', Device>
let itemId = ''
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  dev.secretary = await device(server, org.secretaryA.phone)
  dev.owner = await device(server, org.memberA.phone)
  dev.peer = await device(server, org.memberA2.phone)
  dev.outsider = await device(server, org.memberB.phone)
  dev.admin = await device(server, org.admin.phone)
  for (const d of Object.values(dev)) await sync(d)
  // Listed offline on the secretary's phone after the 组织生活会.
  const item = await addRectification(dev.secretary.db, dev.secretary.user, {
    branchId: org.branchA,
    year: 2026,
    text: '学习制度落实不够经常',
    ownerId: org.memberA.id,
    dueOn: '2027-03-31',
  })
  itemId = item.id
  await sync(dev.secretary)
  expect(await dev.secretary.db.rejected.count()).toBe(0)
  for (const d of Object.values(dev)) await sync(d)
})
afterAll(() => server.close())

const push = async (f: FetchFn, op: 'upsert' | 'delete', fields?: Record<string, unknown>, rowId = itemId) =>
  (
    (await (
      await f(`${server.url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: newId(),
          mutations: [
            {
              id: newId(),
              table: 'rectifications',
              op,
              rowId,
              fields,
              base: {},
              clientTime: new Date().toISOString(),
              v: MUTATION_VERSION,
            },
          ],
        }),
      })
    ).json()) as PushResponse
  ).results[0]

describe('整改清单', () => {
  it('is published to the whole branch and administrators, and to nobody outside the branch', async () => {
    for (const who of ['secretary', 'owner', 'peer', 'admin'] as const)
      expect((await dev[who].db.rectifications.get(itemId))?.text, who).toBe('学习制度落实不够经常')
    expect(await dev.outsider.db.rectifications.get(itemId)).toBeUndefined()
    const outsider = await signIn(server, org.memberB.phone)
    const page = (await (await outsider(`${server.url}/api/sync/pull?limit=2000`)).json()) as PullResponse
    expect(page.changes.some((c) => c.table === 'rectifications')).toBe(false)
  })

  it('only the secretary (or an administrator) lists, edits or withdraws items; members and other branches are refused', async () => {
    const member = await signIn(server, org.memberA2.phone)
    const outsider = await signIn(server, org.memberB.phone)
    const fields = {
      branchId: org.branchA,
      year: 2026,
      text: '自己加的',
      ownerId: org.memberA2.id,
      dueOn: '2027-01-01',
      createdAt: new Date().toISOString(),
    }
    for (const f of [member, outsider]) {
      expect((await push(f, 'upsert', fields, newId()))?.code).toBe('forbidden')
      expect((await push(f, 'upsert', { text: '改' }))?.code).toBe('forbidden')
      expect((await push(f, 'delete'))?.code).toBe('forbidden')
    }
    const admin = await signIn(server, org.admin.phone)
    expect((await push(admin, 'upsert', { dueOn: '2027-04-30' }))?.status).toBe('applied')
  })

  it('the owner closes it with a note, once; a member who does not own it cannot; a closed item is no longer edited', async () => {
    const peer = await signIn(server, org.memberA2.phone)
    expect(await push(peer, 'upsert', { closeNote: '我来销号' })).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      message: '只有责任人或支部书记可以销号',
    })
    await sync(dev.owner)
    await closeRectification(dev.owner.db, itemId, '已建立每月集中学习制度', dev.owner.user.id)
    await sync(dev.owner)
    expect(await dev.owner.db.rejected.count()).toBe(0)
    // A second closing from another phone leaves the first standing.
    const secretary = await signIn(server, org.secretaryA.phone)
    expect((await push(secretary, 'upsert', { closeNote: '另一条说明' }))?.status).toBe('applied')
    await sync(dev.peer)
    const seen = await dev.peer.db.rectifications.get(itemId)
    expect(seen?.closeNote).toBe('已建立每月集中学习制度')
    expect(seen?.closedBy).toBe(org.memberA.id)
    expect(seen?.closedAt).not.toBeNull()
    expect(await push(secretary, 'upsert', { text: '改写' })).toMatchObject({
      status: 'rejected',
      code: 'conflict',
      message: '已销号的整改事项不能修改',
    })
  })

  it('refuses a malformed item with a Chinese reason', async () => {
    const secretary = await signIn(server, org.secretaryA.phone)
    const r = await push(
      secretary,
      'upsert',
      { branchId: org.branchA, year: 2026, text: '  ', ownerId: org.memberA.id, dueOn: '2027-02-30', createdAt: new Date().toISOString() },
      newId(),
    )
    expect(r).toMatchObject({ status: 'rejected', code: 'validation' })
    expect(r?.message).toMatch(/请填写整改事项|日期/)
  })
})
