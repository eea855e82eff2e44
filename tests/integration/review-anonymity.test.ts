import { afterAll, describe, expect, it } from 'vitest'
import { seedOrg, startServer, type Org, type TestServer } from './harness.ts'
import { appraisalMeeting, device, moveBallot, openReview, reviewApiOf, syncOf } from './support/review-branch.ts'
import { dumpDatabase, type Dump } from './support/database-dump.ts'
import { markAttendance } from '../../src/client/features/meetings/meetings.repo.ts'
import { REVIEW_GRADES, type ReviewGrade } from '../../src/core/domain/review.ts'

/**
 * The anonymity of the sealed ballot (docs/review-ballots.md, "What a database administrator can
 * and cannot learn"). The same three voters cast the same multiset of ballots in two elections,
 * with the ballots assigned to different voters and arriving in a different order. If anything
 * stored linked a ballot to its voter (a per-ballot row, an id, a time, an order, the voter list
 * in arrival order), the two databases would differ; they must be identical, row for row, in the
 * order the database returns them and sorted, apart from values that carry no ballot information
 * (random ids, secrets and clock times, normalised below). A third election with different ballots
 * shows the comparison does see the counts. No log line carries a ballot's contents.
 */
type Voter = 'memberA' | 'memberA2' | 'secretaryA'
type Ballot = Record<Voter, ReviewGrade>
const X: Ballot = { memberA: 'excellent', memberA2: 'qualified', secretaryA: 'qualified' }
const Y: Ballot = { memberA: 'qualified', memberA2: 'basic', secretaryA: 'excellent' }
const Z: Ballot = { memberA: 'unqualified', memberA2: 'qualified', secretaryA: 'basic' }

const servers: TestServer[] = []
afterAll(async () => {
  for (const s of servers) await s.close()
})

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g
/** Columns whose values are secrets or random per installation (no ballot information): replaced by their kind. */
const RANDOM_COLUMN = /(hash|token|secret|key|salt)$/i

interface Election {
  dump: Dump
  logs: string[]
  server: TestServer
  org: Org
}

async function election(votes: [Voter, Ballot][]): Promise<Election> {
  const logs: string[] = []
  const server = await startServer({ logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } } })
  servers.push(server)
  const org = await seedOrg(server.handle)
  const secretary = await device(server, org.secretaryA.phone)
  const meeting = await appraisalMeeting(server, org, secretary, Date.now() - 10 * 60_000)
  const cycle = await openReview(org, secretary, meeting)
  for (const id of [org.memberA.id, org.memberA2.id, org.secretaryA.id])
    await markAttendance(secretary.db, secretary.user, meeting, id, 'present')
  await syncOf(secretary)
  const open = await moveBallot(secretary, cycle, 'open')
  // Every voter's phone signs in first, in the same order, so sessions are alike in both elections.
  const phones = {
    memberA: await device(server, org.memberA.phone),
    memberA2: await device(server, org.memberA2.phone),
    secretaryA: secretary,
  }
  for (const [voter, ballot] of votes) {
    const grades = Object.fromEntries(Object.entries(ballot).map(([subject, g]) => [org[subject as Voter].id, g]))
    await reviewApiOf(server, phones[voter]).castBallot(open.id, { grades })
  }
  await moveBallot(secretary, open, 'closed')
  // Known ids by role, so the two installations' rows line up; other ids and times by kind.
  const labels = new Map<string, string>([
    [org.orgId, 'org'],
    [org.branchA, 'branchA'],
    [org.branchB, 'branchB'],
    [meeting.id, 'meeting'],
    [cycle.id, 'cycle'],
    ...(['memberA', 'memberA2', 'secretaryA', 'memberB', 'admin'] as const).map((k): [string, string] => [org[k].id, k]),
  ])
  const text = (s: string) => s.replace(UUID, (id) => labels.get(id.toLowerCase()) ?? 'uuid').replace(TIME, 'time')
  const normalise = (_table: string, row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        RANDOM_COLUMN.test(k) && v !== null ? 'random' : typeof v === 'string' ? text(v) : typeof v === 'bigint' ? Number(v) : v,
      ]),
    )
  const dump = await dumpDatabase(server.handle.db, server.databaseUrl !== undefined, normalise)
  return { dump, logs, server, org }
}

describe('a sealed ballot cannot be linked to its voter from the database', () => {
  it('two elections with the same ballots given by different voters in a different order leave identical databases', async () => {
    const first = await election([
      ['memberA', X],
      ['memberA2', Y],
      ['secretaryA', Z],
    ])
    const second = await election([
      ['secretaryA', X],
      ['memberA', Z],
      ['memberA2', Y],
    ])
    expect(Object.keys(second.dump.sorted)).toEqual(Object.keys(first.dump.sorted))
    expect(first.dump.sorted.review_voters?.length).toBe(1)
    for (const table of Object.keys(first.dump.sorted)) {
      expect(second.dump.sorted[table], `${table}, sorted`).toEqual(first.dump.sorted[table])
      expect(second.dump.unsorted[table], `${table}, in the database's own order`).toEqual(first.dump.unsorted[table])
    }
    // The voter set is there (turnout is not secret), sorted, with no time or order.
    const voterIds = first.dump.unsorted.review_voters?.[0]?.voter_ids
    expect(JSON.parse(String(voterIds)).sort()).toEqual(['memberA', 'memberA2', 'secretaryA'])

    // The comparison sees the counts: another multiset of ballots changes review_counts, and nothing else.
    const third = await election([
      ['memberA', X],
      ['memberA2', X],
      ['secretaryA', Z],
    ])
    const differing = Object.keys(first.dump.sorted).filter(
      (t) => JSON.stringify(third.dump.sorted[t]) !== JSON.stringify(first.dump.sorted[t]),
    )
    expect(differing).toEqual(['review_counts'])

    // No log line carries a ballot's contents (its grades), at any level.
    for (const e of [first, second, third]) {
      const ballotLines = e.logs.filter((l) => REVIEW_GRADES.some((g) => l.includes(`"${g}"`)) || /优秀|基本合格|不合格/.test(l))
      expect(ballotLines).toEqual([])
      expect(e.logs.some((l) => l.includes('/ballot'))).toBe(true)
    }
  })

  it('what an administrator can learn: who voted (turnout, not secret) and the totals after close; never who voted what', async () => {
    const e = servers[0]
    if (!e) throw new Error('no election')
    const db = e.handle.db
    const voters = await db.selectFrom('review_voters').selectAll().execute()
    expect(voters).toHaveLength(1)
    expect(Object.keys(voters[0] ?? {}).sort()).toEqual(['cycle_id', 'org_id', 'voter_ids'])
    const counts = await db.selectFrom('review_counts').selectAll().execute()
    expect(Object.keys(counts[0] ?? {}).sort()).toEqual(['counts', 'cycle_id', 'org_id'])
    // No table other than the box mentions a grade.
    const dump = await dumpDatabase(db, e.databaseUrl !== undefined, (_t, r) => r)
    const mentions = Object.entries(dump.sorted)
      .filter(([, rows]) => rows.some((r) => REVIEW_GRADES.some((g) => r.includes(`"${g}"`) || r.includes(`\\"${g}\\"`))))
      .map(([t]) => t)
    expect(mentions).toEqual(['review_counts'])
  })
})
