import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { device, seedOrg, signIn, startServer, type Device, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { NetworkError, type FetchFn } from '../../src/client/api/http.ts'
import { REFILL_KEY } from '../../src/client/db/account-db.ts'
import { writeRow } from '../../src/client/db/write.ts'
import { closeFollowup, recordVisit, saveHousehold, type VisitDraft } from '../../src/client/features/visits/visits.repo.ts'
import { backup, restore } from '../../src/server/ops/backup.ts'
import { freshPullDifferences } from './simulation/fresh-pull.ts'

/**
 * Follow-ups sent back to a restored server (docs/sync.md, "Restore"): each one is created again
 * by the phone that sends its visit back, so none waits for a visit that will never come (found by
 * the seeded fault simulation: closings and creations left `waiting` in the outbox for good).
 */
let server: TestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

const visit = (memberId: string, householdId: string | null): VisitDraft => ({
  householdId,
  place: householdId ? '' : '东村村委会',
  visitedAt: new Date().toISOString(),
  memberIds: [memberId],
  findings: '走访情况',
  problems: '',
  location: null,
  photos: [],
  followups: [{ text: '代办医保', ownerId: memberId, dueOn: '2026-12-31' }],
})

async function restoreFrom(s: TestServer, dir: string, phones: Device[]) {
  await s.restartAfter(async () => {
    await restore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, from: dir })
  })
  // The test's connection pools still hold sockets to the stopped server.
  for (const d of phones) await d.api.me().catch(() => undefined)
}

describe('follow-ups sent back to a restored server', () => {
  it('a second restore before the first refill finished: the follow-up is created again before its closing', async () => {
    const s = await startServer()
    server = s
    const org = await seedOrg(s.handle)
    // The phone loses its signal in the middle of the pull after the first restore.
    let failPulls = false
    let pulls = 0
    const flaky = (f: FetchFn): FetchFn => {
      return async (input, init) => {
        if (input.includes('/api/sync/pull') && failPulls && ++pulls > 1) throw new NetworkError(new Error('no signal'))
        return f(input, init)
      }
    }
    const m = await device(s, org.memberA.phone, flaky)
    const engine = new SyncEngine(m.db, m.api, { pullLimit: 2 })
    expect(await engine.sync()).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })

    const visitId = await recordVisit(m.db, m.user, visit(org.memberA.id, null))
    expect(await engine.sync()).toEqual({ ok: true })
    const followup = (await m.db.followups.toArray())[0]
    if (!followup) throw new Error('no follow-up')
    await closeFollowup(m.db, followup.id, '已帮助办理')

    // First restore: the phone remembers the visit and the follow-up, the fresh pull's first page
    // drops the visit (nothing of it is pending), then the signal goes before the refill.
    await restoreFrom(s, dir, [m])
    failPulls = true
    expect(await engine.sync()).toEqual({ ok: false, failure: 'network' })
    expect(await m.db.meta.get(REFILL_KEY)).toBeDefined()
    expect(await m.db.visits.get(visitId)).toBeUndefined()
    expect(await m.db.followups.get(followup.id)).toMatchObject({ closeNote: '已帮助办理' })

    // A backup of the restored server (it has neither the visit nor the follow-up) is restored in
    // turn: the phone's cursor is of the generation that backup replaces. Then the signal is back.
    const second = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })
    await restoreFrom(s, second.dir, [m])
    failPulls = false
    for (let i = 0; i < 3; i++) expect(await engine.sync()).toEqual({ ok: true })

    expect(await m.db.outbox.toArray()).toEqual([])
    expect(await m.db.rejected.toArray()).toEqual([])
    expect(await s.handle.db.selectFrom('visits').select('id').where('id', '=', visitId).execute()).toHaveLength(1)
    expect(
      await s.handle.db.selectFrom('followups').select(['visit_id', 'close_note']).where('id', '=', followup.id).executeTakeFirst(),
    ).toEqual({ visit_id: visitId, close_note: '已帮助办理' })
    expect(await freshPullDifferences('张三', m.db, m.api)).toEqual([])
  }, 60_000)

  it("a companion's phone does not send back a follow-up whose visit the server refuses from its recorder", async () => {
    const s = await startServer()
    server = s
    const org = await seedOrg(s.handle)
    const companion = await device(s, org.memberA.phone)
    const recorder = await device(s, org.memberA2.phone)
    const sec = await device(s, org.secretaryA.phone)
    const phones = [companion, recorder, sec]
    const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()
    // A household of branch A linked to 张三 only: 李四, of the same branch, may still visit it.
    const household = await saveHousehold(sec.db, sec.user, null, {
      branchId: org.branchA,
      name: '刘奶奶',
      address: '',
      village: '北村',
      contact: '',
      situation: '',
      needs: '',
      memberIds: [org.memberA.id],
    })
    for (const d of phones) expect(await sync(d)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })

    // 李四 records a visit with a promised action and adds 张三, who went too.
    const visitId = await recordVisit(recorder.db, recorder.user, visit(org.memberA2.id, household))
    const recorded = await recorder.db.visits.get(visitId)
    if (!recorded) throw new Error('no visit')
    const memberIds = [org.memberA2.id, org.memberA.id]
    await writeRow(recorder.db, 'visits', { ...recorded, memberIds }, { memberIds })
    expect(await sync(recorder)).toEqual({ ok: true })
    expect(await sync(companion)).toEqual({ ok: true })
    expect(await companion.db.followups.count()).toBe(1)

    // The restore loses the visit; 李四 then moves to another branch: his phone's visit of a
    // household he is not linked to is refused, visibly, and its follow-up with it.
    await restoreFrom(s, dir, phones)
    const admin = await signIn(s, org.admin.phone)
    const moved = await admin(`${s.url}/api/admin/people/${org.memberA2.id}/move`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branchId: org.branchB, date: '2026-11-01' }),
    })
    expect(moved.status).toBe(200)
    for (let round = 0; round < 3; round++) for (const d of phones) expect(await sync(d)).toEqual({ ok: true })

    expect((await recorder.db.rejected.toArray()).map((r) => `${r.mutation.table}: ${r.message}`).sort()).toEqual([
      'followups: 所属的走访记录未被服务器接受，此项无法保存',
      'visits: 该联系户不在您的联系范围内',
    ])
    for (const d of phones) expect(await d.db.outbox.toArray()).toEqual([])
    expect(await companion.db.rejected.toArray()).toEqual([])
    expect(await freshPullDifferences('张三', companion.db, companion.api)).toEqual([])
  }, 60_000)
})
