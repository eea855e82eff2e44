import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { appraisalMeeting, moveBallot, openReview, reviewApiOf, scanIn, syncOf } from './support/review-branch.ts'
import { castBallot, checkVoted } from '../../src/client/features/review/ballot-sender.ts'
import { writeBallotBox } from '../../src/server/repositories/review-ballots.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { newId } from '../../src/core/ids.ts'
import { createMeeting, signInWithCode } from '../../src/client/features/meetings/meetings.repo.ts'
import { signInLink, signToken, windowOf } from '../../src/core/domain/sign-in-token.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'
import { freshPullDifferences } from './simulation/fresh-pull.ts'
import { addRectification, closeRectification } from '../../src/client/features/meetings/rectify.repo.ts'
import { confirmOutsideTraining, recordOutsideTraining } from '../../src/client/features/training/training.repo.ts'
import { backup, restore } from '../../src/server/ops/backup.ts'
import { join } from 'node:path'
import { createStudy, removeStudy, updateStudy } from '../../src/client/features/study/study.repo.ts'

/**
 * Failures the fault simulation (`npm run soak`) found, each reduced to the few steps that make it
 * happen every time. The simulation checks the same invariants at random; these check them always.
 */
let server: TestServer
let org: Org
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()
const toMutation = <T extends { seq?: number }>({ seq: _seq, ...m }: T) => m

beforeEach(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterEach(() => server.close())

async function meetingOf(secretary: Device): Promise<Meeting> {
  const meeting = await createMeeting(secretary.db, secretary.user, {
    branchId: org.branchA,
    type: 'branch_committee',
    topic: '支部委员会',
    startsAt: new Date().toISOString(),
    durationMinutes: 600,
    place: '',
    organiserId: secretary.user.id,
    speaker: '',
    expectedIds: [org.memberA.id, org.secretaryA.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
  })
  expect(await sync(secretary)).toEqual({ ok: true })
  return meeting
}

describe('a pending change pulled over, then acknowledged as a duplicate', () => {
  it("leaves the row as a fresh pull gives it: a sign-in's scanned code (write-only) is not kept on the row", async () => {
    const secretary = await device(server, org.secretaryA.phone)
    const member = await device(server, org.memberA.phone)
    await sync(secretary)
    const meeting = await meetingOf(secretary)
    await sync(member)
    const w = windowOf(Date.now())
    await signInWithCode(
      member.db,
      member.user,
      signInLink('https://x', meeting.id, w, await signToken(meeting.signKey ?? '', meeting.id, w)),
    )
    const [entry] = await member.db.outbox.toArray()
    if (!entry) throw new Error('no sign-in queued')
    // The sign-in reached the server, its answer was lost (a killed app, a dropped answer)…
    const sent = await member.api.push({ clientId: newId(), mutations: [toMutation(entry)] })
    expect(sent.results[0]?.status).toBe('applied')
    // …and a pull ran while it was still in the outbox (another sync of this phone had it in flight).
    await new SyncEngine(member.db, member.api).pull()
    // Sent again: the stored result answers (a duplicate), nothing changes on the server.
    expect(await sync(member)).toEqual({ ok: true })
    expect(await member.db.outbox.count()).toBe(0)
    expect(await freshPullDifferences('member', member.db, member.api)).toEqual([])
  })
})

describe('a vote lost to a restore, its voter moved to another branch since', () => {
  it('the phone learns the server has no vote and forgets its 已投票 (the member may vote again)', async () => {
    const secretary = await device(server, org.secretaryA.phone)
    const member = await device(server, org.memberA2.phone)
    const startedAt = Date.now() - 30 * 60_000
    const meeting = await appraisalMeeting(server, org, secretary, startedAt)
    let cycle = await openReview(org, secretary, meeting)
    await scanIn(member, meeting, startedAt + 5 * 60_000)
    expect(await syncOf(member)).toEqual({ ok: true })
    cycle = await moveBallot(secretary, cycle, 'open')
    const api = reviewApiOf(server, member)
    await castBallot(member.db, api, cycle.id, Object.fromEntries(cycle.subjectIds.map((id) => [id, 'qualified' as const])))
    expect((await member.db.review_ballots.get(cycle.id))?.state).toBe('sent')
    // The server is restored from a backup taken before the vote: its box no longer lists the voter.
    const zero = { excellent: 0, qualified: 0, basic: 0, unqualified: 0 }
    await writeBallotBox(server.handle.db, cycle.id, [], Object.fromEntries(cycle.subjectIds.map((id) => [id, zero])))
    // The member has moved to another branch since (still one of those assessed in this cycle).
    const admin = await signIn(server, org.admin.phone)
    const moved = await admin(`${server.url}/api/admin/people/${org.memberA2.id}/move`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branchId: org.branchB, date: '2026-11-01' }),
    })
    expect(moved.status).toBe(200)
    // As the review page does when opened.
    await checkVoted(member.db, api, cycle.id)
    expect(await member.db.review_ballots.get(cycle.id)).toBeUndefined()
    // Someone neither of the branch nor assessed still learns nothing of the cycle.
    await expect(reviewApiOf(server, await device(server, org.memberB.phone)).myBallot(cycle.id)).rejects.toMatchObject({ status: 404 })
  })
})

/** The server is put back to a backup; the phones' next requests reach the new process. */
async function restoreFrom(dir: string, phones: Device[]): Promise<void> {
  await server.restartAfter(async () => {
    await restore({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, from: dir })
  })
  for (const d of phones) await d.api.me().catch(() => undefined)
}

describe('a closing or a confirmation of a row a restore lost that only another phone could send back', () => {
  /** A backup, then an item the secretary lists after it, closed by its owner and synced: what a restore to that backup loses. */
  async function closedAfterBackup(text: string, closeNote: string) {
    const secretary = await device(server, org.secretaryA.phone)
    const owner = await device(server, org.memberA.phone)
    for (const d of [secretary, owner]) expect(await sync(d)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, outDir: join(server.dataDir, 'backups') })
    const item = await addRectification(secretary.db, secretary.user, {
      branchId: org.branchA,
      year: 2026,
      text,
      ownerId: org.memberA.id,
      dueOn: '2027-03-31',
    })
    expect(await sync(secretary)).toEqual({ ok: true })
    expect(await sync(owner)).toEqual({ ok: true })
    await closeRectification(owner.db, item.id, closeNote, org.memberA.id)
    expect(await sync(owner)).toEqual({ ok: true })
    return { secretary, owner, item, dir }
  }

  it("the owner's closing of an item the secretary's phone never lists again is set aside visibly, not left waiting for ever", async () => {
    const { owner, item, dir } = await closedAfterBackup('学习制度落实不够经常', '已建立每月学习制度')
    // The server goes back to before the item; the secretary's phone is lost and never lists it again.
    await restoreFrom(dir, [owner])
    for (let i = 0; i < 3; i++) expect(await sync(owner)).toEqual({ ok: true })
    expect(await owner.db.outbox.toArray()).toEqual([])
    const [aside, ...more] = await owner.db.rejected.toArray()
    expect(more).toEqual([])
    expect(aside?.message).toContain('重新列出')
    expect(aside?.mutation).toMatchObject({ table: 'rectifications', rowId: item.id, fields: { closeNote: '已建立每月学习制度' } })
    expect(await owner.db.rectifications.get(item.id)).toBeUndefined()
    expect(await freshPullDifferences('owner', owner.db, owner.api)).toEqual([])
  }, 60_000)

  it("the secretary's unsent confirmation of a training record its member's phone never sends back is set aside visibly", async () => {
    const secretary = await device(server, org.secretaryA.phone)
    const member = await device(server, org.memberA.phone)
    for (const d of [secretary, member]) expect(await sync(d)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, outDir: join(server.dataDir, 'backups') })
    await recordOutsideTraining(member.db, member.user, {
      kind: 'online',
      title: '学习贯彻党的二十届三中全会精神网络专题班',
      organiser: '县直机关工委',
      startOn: '2026-11-01',
      endOn: '2026-11-02',
      minutes: 300,
      notes: '',
    })
    expect(await sync(member)).toEqual({ ok: true })
    expect(await sync(secretary)).toEqual({ ok: true })
    const [record] = await secretary.db.outside_trainings.toArray()
    if (!record) throw new Error('no training record')
    await confirmOutsideTraining(secretary.db, secretary.user, record.id)
    // Restored before the record reached the server; the member's phone is lost.
    await restoreFrom(dir, [secretary])
    for (let i = 0; i < 3; i++) expect(await sync(secretary)).toEqual({ ok: true })
    expect(await secretary.db.outbox.toArray()).toEqual([])
    const [aside, ...more] = await secretary.db.rejected.toArray()
    expect(more).toEqual([])
    expect(aside?.message).toContain('党员本人的手机')
    expect(aside?.mutation).toMatchObject({ table: 'outside_trainings', rowId: record.id, fields: { confirmed: true } })
    expect(await secretary.db.outside_trainings.get(record.id)).toBeUndefined()
    expect(await freshPullDifferences('secretary', secretary.db, secretary.api)).toEqual([])
  }, 60_000)

  it("the owner's closing is still sent back when the secretary's phone has listed the item again first", async () => {
    const { secretary, owner, item, dir } = await closedAfterBackup('联系群众不够紧密', '已走访联系户')
    await restoreFrom(dir, [owner, secretary])
    expect(await sync(secretary)).toEqual({ ok: true })
    for (let i = 0; i < 2; i++) expect(await sync(owner)).toEqual({ ok: true })
    expect(await owner.db.outbox.toArray()).toEqual([])
    expect(await owner.db.rejected.toArray()).toEqual([])
    expect((await owner.db.rectifications.get(item.id))?.closeNote).toBe('已走访联系户')
    expect(await freshPullDifferences('owner', owner.db, owner.api)).toEqual([])
  }, 60_000)
})

describe('a delete of a record the restored server does not have yet', () => {
  it('stands when the record is sent back later: the server keeps it deleted and every phone of the person ends as a fresh pull', async () => {
    const a = await device(server, org.memberA.phone)
    const b = await device(server, org.memberA.phone)
    for (const d of [a, b]) expect(await sync(d)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, outDir: join(server.dataDir, 'backups') })
    const record = await createStudy(a.db, a.user, {
      kind: 'self_study',
      title: '学习党章',
      date: '2026-11-20',
      minutes: 60,
      notes: '',
      sourceUrl: '',
    })
    expect(await sync(a)).toEqual({ ok: true })
    expect(await sync(b)).toEqual({ ok: true })
    await restoreFrom(dir, [a, b])
    // Phone B deletes it; the delete reaches the restored server (before the phone noticed the
    // restore), its answer is lost.
    await removeStudy(b.db, record.id)
    const [entry] = await b.db.outbox.toArray()
    if (!entry) throw new Error('no delete queued')
    expect((await b.api.push({ clientId: newId(), mutations: [toMutation(entry)] })).results[0]?.status).toBe('applied')
    // Phone A would send the record back; then phone B syncs (pull first, then its delete again).
    for (let i = 0; i < 2; i++) for (const d of [a, b]) expect(await sync(d)).toEqual({ ok: true })
    for (const d of [a, b]) {
      expect(await d.db.outbox.toArray()).toEqual([])
      expect(await freshPullDifferences('张三', d.db, d.api)).toEqual([])
    }
    for (const d of [a, b]) expect((await d.db.study_records.get(record.id))?.deleted ?? true).toBe(true)
    const live = await server.handle.db
      .selectFrom('study_records')
      .select('id')
      .where('id', '=', record.id)
      .where('deleted', '=', 0)
      .execute()
    expect(live).toEqual([])
  }, 60_000)
})

describe('a change answered again from its stored result after the phone pulled a later version of its row', () => {
  it('the row goes out again: the phone ends with the server’s version (here a tombstone), not its own', async () => {
    const a = await device(server, org.memberA.phone)
    const b = await device(server, org.memberA.phone)
    const record = await createStudy(a.db, a.user, {
      kind: 'self_study',
      title: '学习党史',
      date: '2026-11-20',
      minutes: 60,
      notes: '',
      sourceUrl: '',
    })
    for (const d of [a, b]) expect(await sync(d)).toEqual({ ok: true })
    // Phone B changes the minutes; the change is applied, its answer lost.
    await updateStudy(b.db, record.id, { kind: 'self_study', title: '学习党史', date: '2026-11-20', minutes: 90, notes: '', sourceUrl: '' })
    const [entry] = await b.db.outbox.toArray()
    if (!entry) throw new Error('no edit queued')
    expect((await b.api.push({ clientId: newId(), mutations: [toMutation(entry)] })).results[0]?.status).toBe('applied')
    // Phone A deletes the record; phone B pulls while its edit is still unsent (its copy is kept over the tombstone).
    await removeStudy(a.db, record.id)
    expect(await sync(a)).toEqual({ ok: true })
    await new SyncEngine(b.db, b.api).pull()
    expect(await sync(b)).toEqual({ ok: true })
    expect(await b.db.outbox.toArray()).toEqual([])
    expect(await freshPullDifferences('张三', b.db, b.api)).toEqual([])
    expect(await b.db.study_records.get(record.id)).toBeUndefined()
  })
})
