import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { appraisalMeeting, device, moveBallot, openReview, reviewApiOf, scanIn, syncOf } from './support/review-branch.ts'
import { castBallot, sendBallots } from '../../src/client/features/review/ballot-sender.ts'
import { savePaper, saveGrade } from '../../src/client/features/review/review.repo.ts'
import { keepBallot } from '../../src/client/db/ballot-outbox.ts'
import { reviewPaperId } from '../../src/core/review-ids.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'
import type { ReviewCycle } from '../../src/core/schemas/review.ts'
import type { ReviewGrade } from '../../src/core/domain/review.ts'
import { ApiError } from '../../src/client/api/http.ts'

/**
 * The year's review end to end on real phones (fake-indexeddb) and a real server: the cycle, the
 * private papers, and sealed ballots cast offline on several phones, sent in any order, duplicated
 * and retried, counted once each, the tally only after close.
 */
let server: TestServer
let org: Org
const dev: Record<'secretary' | 'memberA' | 'memberA2' | 'memberAPhone2' | 'admin' | 'memberB', Device> = {} as never
let meeting: Meeting
let cycle: ReviewCycle
const startedAt = Date.now() - 30 * 60_000

/** A fetch that the network takes away: offline (throws) or losing the answer after the server acted. */
function flaky(base: FetchFn) {
  const state = { offline: false, loseAnswers: 0 }
  const f: FetchFn = async (input, init) => {
    if (state.offline) throw new TypeError('Failed to fetch')
    const res = await base(input, init)
    if (state.loseAnswers > 0 && String(input).includes('/ballot')) {
      state.loseAnswers--
      throw new TypeError('network lost before the answer')
    }
    return res
  }
  return { f, state }
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  dev.secretary = await device(server, org.secretaryA.phone)
  dev.memberA = await device(server, org.memberA.phone)
  dev.memberAPhone2 = await device(server, org.memberA.phone)
  dev.memberA2 = await device(server, org.memberA2.phone)
  dev.admin = await device(server, org.admin.phone)
  dev.memberB = await device(server, org.memberB.phone)
  meeting = await appraisalMeeting(server, org, dev.secretary, startedAt)
  cycle = await openReview(org, dev.secretary, meeting)
  for (const d of Object.values(dev)) await syncOf(d)
})
afterAll(() => server.close())

describe('the cycle and the private papers', () => {
  it('members of the branch receive the cycle and its 征求意见 prompt; another branch does not', async () => {
    expect((await dev.memberA.db.review_cycles.get(cycle.id))?.prompt).toContain('征求')
    expect(await dev.memberB.db.review_cycles.get(cycle.id)).toBeUndefined()
    expect(await dev.admin.db.review_cycles.get(cycle.id)).toBeDefined()
  })

  it('one cycle per branch and year: a second one is refused with a Chinese reason', async () => {
    const again = await openReview(org, dev.secretary, meeting).catch(() => null)
    expect(again).not.toBeNull()
    const rejected = await dev.secretary.db.rejected.toArray()
    expect(rejected.some((r) => r.message.includes('已经开启'))).toBe(true)
    await dev.secretary.db.rejected.clear()
  })

  it('a draft is read by its author alone; once handed in, by the secretary too, never by administrators or peers; it is then fixed', async () => {
    await savePaper(dev.memberA.db, dev.memberA.user, cycle, 'statement', '对照检查草稿：学习不够深入')
    await syncOf(dev.memberA)
    await syncOf(dev.memberAPhone2)
    const id = reviewPaperId(cycle.id, org.memberA.id)
    // The author's other phone has it; nobody else.
    expect((await dev.memberAPhone2.db.review_papers.get(id))?.text).toContain('草稿')
    for (const d of [dev.secretary, dev.admin, dev.memberA2, dev.memberB]) {
      await syncOf(d)
      expect(await d.db.review_papers.get(id)).toBeUndefined()
    }
    await savePaper(dev.memberA.db, dev.memberA.user, cycle, 'statement', '对照检查：学习不够深入，整改措施如下', true)
    await syncOf(dev.memberA)
    await syncOf(dev.secretary)
    expect((await dev.secretary.db.review_papers.get(id))?.handedInAt).not.toBeNull()
    for (const d of [dev.admin, dev.memberA2, dev.memberB]) {
      await syncOf(d)
      expect(await d.db.review_papers.get(id)).toBeUndefined()
    }
    // Fixed once handed in: an edit from the other phone (which had not yet heard of it) is refused.
    const stale = await dev.memberAPhone2.db.review_papers.get(id)
    if (!stale) throw new Error('no paper')
    await savePaper(dev.memberAPhone2.db, dev.memberAPhone2.user, cycle, 'statement', '另一台手机上的修改')
    await syncOf(dev.memberAPhone2)
    expect((await dev.memberAPhone2.db.rejected.toArray()).map((r) => r.message)).toContain('已交给支部，不能再修改')
    expect((await dev.secretary.db.review_papers.get(id))?.text).toBe('对照检查：学习不够深入，整改措施如下')
  })

  it('a member who will be away hands in a 书面发言', async () => {
    await savePaper(dev.memberA2.db, dev.memberA2.user, cycle, 'written', '书面发言：因出差不能到会', true)
    await syncOf(dev.memberA2)
    await syncOf(dev.secretary)
    expect((await dev.secretary.db.review_papers.get(reviewPaperId(cycle.id, org.memberA2.id)))?.kind).toBe('written')
  })
})

describe('sealed ballots from several phones, offline, in any order, duplicated and retried', () => {
  const grades = (a: ReviewGrade, a2: ReviewGrade, s: ReviewGrade) => ({
    [org.memberA.id]: a,
    [org.memberA2.id]: a2,
    [org.secretaryA.id]: s,
  })

  it('counts each voter once and shows the tally to the committee only after close', async () => {
    // Everyone scans in offline at the meeting; the secretary opens the ballot.
    await scanIn(dev.memberA, meeting, startedAt + 5 * 60_000)
    await scanIn(dev.memberA2, meeting, startedAt + 6 * 60_000)
    await scanIn(dev.secretary, meeting, startedAt + 7 * 60_000)
    cycle = await moveBallot(dev.secretary, cycle, 'open')
    expect([...cycle.subjectIds].sort()).toEqual([org.memberA.id, org.memberA2.id, org.secretaryA.id].sort())
    // Member A's sign-in has not reached the server yet: not (yet) allowed to vote, nothing counted.
    await expect(
      reviewApiOf(server, dev.memberA).castBallot(cycle.id, { grades: grades('qualified', 'qualified', 'qualified') }),
    ).rejects.toMatchObject({ status: 403, message: expect.stringContaining('签到') })
    for (const d of [dev.memberA, dev.memberA2, dev.memberAPhone2]) await syncOf(d)

    // Two phones are offline when their members vote; one loses the server's answer once.
    const a = flaky(dev.memberA.fetch)
    const a2 = flaky(dev.memberA2.fetch)
    const s = flaky(dev.secretary.fetch)
    a.state.offline = true
    a2.state.offline = true
    s.state.loseAnswers = 1
    await castBallot(dev.memberA.db, reviewApiOf(server, dev.memberA, a.f), cycle.id, grades('qualified', 'excellent', 'qualified'))
    await castBallot(dev.memberA2.db, reviewApiOf(server, dev.memberA2, a2.f), cycle.id, grades('excellent', 'qualified', 'basic'))
    await castBallot(dev.secretary.db, reviewApiOf(server, dev.secretary, s.f), cycle.id, grades('excellent', 'excellent', 'qualified'))
    // The secretary's ballot was counted, but the phone never heard so: it is still waiting.
    expect((await dev.secretary.db.review_ballots.get(cycle.id))?.state).toBe('waiting')
    expect((await dev.memberA.db.review_ballots.get(cycle.id))?.grades).not.toBeNull()

    // The committee sees turnout, never the tally while the ballot is open.
    const sec = reviewApiOf(server, dev.secretary)
    expect((await sec.turnout(cycle.id)).voterIds).toEqual([org.secretaryA.id])
    await expect(sec.tally(cycle.id)).rejects.toMatchObject({ status: 409, message: '投票结束后才能查看测评结果' })

    // Back online in another order: member A2's phone, then the secretary's retry, then member A's; some twice.
    a2.state.offline = false
    a.state.offline = false
    expect(await sendBallots(dev.memberA2.db, reviewApiOf(server, dev.memberA2, a2.f))).toBe(true)
    expect(await sendBallots(dev.secretary.db, reviewApiOf(server, dev.secretary, s.f))).toBe(true)
    expect(await sendBallots(dev.memberA.db, reviewApiOf(server, dev.memberA, a.f))).toBe(true)
    expect(await sendBallots(dev.memberA2.db, reviewApiOf(server, dev.memberA2, a2.f))).toBe(true)
    // A replayed request (the same ballot sent again by hand) is refused, counted once.
    await expect(
      reviewApiOf(server, dev.memberA).castBallot(cycle.id, { grades: grades('qualified', 'excellent', 'qualified') }),
    ).rejects.toMatchObject({ status: 409, message: '您已经投过票，每人只计一票（这张选票没有重复计入）' })
    // Member A's second phone votes differently: refused, its ballot erased, it shows 已投票.
    await castBallot(
      dev.memberAPhone2.db,
      reviewApiOf(server, dev.memberAPhone2),
      cycle.id,
      grades('unqualified', 'unqualified', 'unqualified'),
    )
    expect(await dev.memberAPhone2.db.review_ballots.get(cycle.id)).toEqual({
      cycleId: cycle.id,
      grades: null,
      state: 'sent',
      problem: null,
    })
    // Every phone keeps only 已投票.
    for (const d of [dev.memberA, dev.memberA2, dev.secretary])
      expect(await d.db.review_ballots.get(cycle.id)).toEqual({ cycleId: cycle.id, grades: null, state: 'sent', problem: null })

    const t = await sec.turnout(cycle.id)
    expect(t.voterIds).toEqual([org.memberA.id, org.memberA2.id, org.secretaryA.id].sort())
    expect(t.presentIds).toEqual([org.memberA.id, org.memberA2.id, org.secretaryA.id].sort())

    // Paper ballots entered as a tally, the same entry twice (a retry): added once.
    const paper = {
      id: crypto.randomUUID(),
      ballots: 1,
      counts: { [org.memberA.id]: { excellent: 0, qualified: 1, basic: 0, unqualified: 0 } },
    }
    expect(await sec.addPaperTally(cycle.id, paper)).toEqual({ paperBallots: 1 })
    expect(await sec.addPaperTally(cycle.id, paper)).toEqual({ paperBallots: 1 })
    await expect(
      sec.addPaperTally(cycle.id, {
        id: crypto.randomUUID(),
        ballots: 1,
        counts: { [org.memberA.id]: { excellent: 2, qualified: 0, basic: 0, unqualified: 0 } },
      }),
    ).rejects.toMatchObject({ status: 422 })

    cycle = await moveBallot(dev.secretary, cycle, 'closed')
    const tally = await sec.tally(cycle.id)
    expect(tally.phoneBallots).toBe(3)
    expect(tally.paperBallots).toBe(1)
    const of = (id: string) => tally.subjects.find((x) => x.memberId === id)?.counts
    expect(of(org.memberA.id)).toEqual({ excellent: 2, qualified: 2, basic: 0, unqualified: 0 })
    expect(of(org.memberA2.id)).toEqual({ excellent: 2, qualified: 1, basic: 0, unqualified: 0 })
    expect(of(org.secretaryA.id)).toEqual({ excellent: 0, qualified: 2, basic: 1, unqualified: 0 })
  })

  it('a ballot arriving after close is never counted; the phone erases it and says why', async () => {
    const earlier = await openReview(org, dev.secretary, meeting, 2025)
    await moveBallot(dev.secretary, earlier, 'open')
    await syncOf(dev.memberA)
    await keepBallot(dev.memberA.db, earlier.id, {
      [org.memberA.id]: 'excellent',
      [org.memberA2.id]: 'qualified',
      [org.secretaryA.id]: 'qualified',
    })
    await moveBallot(dev.secretary, earlier, 'closed')
    expect(await sendBallots(dev.memberA.db, reviewApiOf(server, dev.memberA))).toBe(true)
    expect(await dev.memberA.db.review_ballots.get(earlier.id)).toEqual({
      cycleId: earlier.id,
      grades: null,
      state: 'waiting',
      problem: '投票已经结束，这张选票未能计入',
    })
    const tally = await reviewApiOf(server, dev.secretary).tally(earlier.id)
    expect(tally.phoneBallots).toBe(0)
    // Closed for good: it is never opened again.
    const closed = await dev.secretary.db.review_cycles.get(earlier.id)
    if (!closed) throw new Error('no cycle')
    await moveBallot(dev.secretary, closed, 'open').catch(() => undefined)
    expect((await dev.secretary.db.rejected.toArray()).map((r) => r.message)).toContain('投票已经结束，不能重新开始')
    await dev.secretary.db.rejected.clear()
  })

  it("ballots arriving at once, each voter's twice, are counted once each", async () => {
    const at = await openReview(org, dev.secretary, meeting, 2024)
    const open = await moveBallot(dev.secretary, at, 'open')
    const voters = [dev.memberA, dev.memberA2, dev.secretary]
    const grades = grades3(org, 'excellent', 'qualified', 'basic')
    const sent = await Promise.allSettled(voters.flatMap((d) => [d, d]).map((d) => reviewApiOf(server, d).castBallot(open.id, { grades })))
    expect(sent.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    await moveBallot(dev.secretary, open, 'closed')
    const tally = await reviewApiOf(server, dev.secretary).tally(open.id)
    expect(tally.phoneBallots).toBe(3)
    expect(tally.subjects.find((x) => x.memberId === org.memberA.id)?.counts).toEqual({
      excellent: 3,
      qualified: 0,
      basic: 0,
      unqualified: 0,
    })
  })

  it('nobody but the committee reads turnout or tally', async () => {
    for (const who of [dev.memberA, dev.admin, dev.memberB]) {
      const api = reviewApiOf(server, who)
      await expect(api.tally(cycle.id)).rejects.toBeInstanceOf(ApiError)
      await expect(api.turnout(cycle.id)).rejects.toBeInstanceOf(ApiError)
    }
  })
})

describe('评定 and feedback', () => {
  it('the committee grades; each member reads their own grade and feedback, nobody else does', async () => {
    await saveGrade(dev.secretary.db, dev.secretary.user, cycle, org.memberA.id, 'excellent', '学习积极，起到模范作用')
    await saveGrade(dev.secretary.db, dev.secretary.user, cycle, org.memberA2.id, 'qualified', '继续加强理论学习')
    await syncOf(dev.secretary)
    expect(await dev.secretary.db.rejected.count()).toBe(0)
    for (const d of [dev.memberA, dev.memberA2, dev.admin, dev.memberB]) await syncOf(d)
    const gradesOf = async (d: Device) => (await d.db.review_grades.toArray()).map((g) => g.memberId).sort()
    expect(await gradesOf(dev.memberA)).toEqual([org.memberA.id])
    expect((await dev.memberA.db.review_grades.toArray())[0]?.feedback).toBe('学习积极，起到模范作用')
    expect(await gradesOf(dev.memberA2)).toEqual([org.memberA2.id])
    expect(await gradesOf(dev.admin)).toEqual([])
    expect(await gradesOf(dev.memberB)).toEqual([])
    // A member cannot grade anyone; an administrator is not on the branch committee.
    for (const d of [dev.memberA, dev.admin]) {
      await saveGrade(d.db, d.user, cycle, org.memberA2.id, 'excellent', '')
      await syncOf(d)
      expect((await d.db.rejected.toArray()).map((r) => r.message)).toContain('评定由支部委员会作出')
    }
  })

  it('a member made 支部委员 receives the handed-in papers and the grades at their next sync; taken off, they leave the phone', async () => {
    const setCommittee = (committee: boolean) =>
      dev.secretary.fetch(`${server.url}/api/admin/people/${org.memberA2.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ committee }),
      })
    const paper = reviewPaperId(cycle.id, org.memberA.id)
    await syncOf(dev.memberA2)
    expect(await dev.memberA2.db.review_papers.get(paper)).toBeUndefined()
    expect((await setCommittee(true)).status).toBe(200)
    await syncOf(dev.memberA2)
    expect(await dev.memberA2.db.review_papers.get(paper)).toBeDefined()
    expect((await dev.memberA2.db.review_grades.toArray()).map((g) => g.memberId).sort()).toEqual([org.memberA.id, org.memberA2.id].sort())
    expect((await setCommittee(false)).status).toBe(200)
    await syncOf(dev.memberA2)
    expect(await dev.memberA2.db.review_papers.get(paper)).toBeUndefined()
    expect((await dev.memberA2.db.review_grades.toArray()).map((g) => g.memberId)).toEqual([org.memberA2.id])
  })
})

function grades3(o: Org, a: ReviewGrade, a2: ReviewGrade, sec: ReviewGrade): Record<string, ReviewGrade> {
  return { [o.memberA.id]: a, [o.memberA2.id]: a2, [o.secretaryA.id]: sec }
}
