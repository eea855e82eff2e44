import type { Kysely } from 'kysely'
import type { Database, ReviewCycleTable } from '../../db/schema.ts'
import { REVIEW_GRADES, zeroCounts, type BallotState, type GradeCounts, type ReviewGrade } from '../../../core/domain/review.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { idList } from '../../db/json.ts'
import { isBranchSecretary, onCommittee } from '../../sync/tables/review-scopes.ts'
import {
  insertPaperTally,
  lockBallotBox,
  paperTallies,
  readBallotBox,
  writeBallotBox,
  type CountsBySubject,
} from '../../repositories/review-ballots.ts'

/**
 * The sealed ballot (docs/review-ballots.md). A ballot is folded into the cycle's counts in the
 * same transaction that adds its voter to the cycle's (sorted) voter list, and nothing else of it
 * is kept: no row, id, time or order. Nothing here logs a ballot or puts it in an error.
 */

async function cycleOf(db: Kysely<Database>, viewer: Viewer, id: string): Promise<ReviewCycleTable> {
  const c = await db.selectFrom('review_cycles').selectAll().where('id', '=', id).where('org_id', '=', viewer.orgId).executeTakeFirst()
  if (!c) throw new HttpError(404, 'not_found', '找不到这次年度评议')
  return c
}

async function signedIn(db: Kysely<Database>, meetingId: string | null, memberId: string): Promise<boolean> {
  if (!meetingId) return false
  const a = await db
    .selectFrom('attendance')
    .select('status')
    .where('meeting_id', '=', meetingId)
    .where('member_id', '=', memberId)
    .executeTakeFirst()
  return a?.status === 'present'
}

/** Those signed in (present) at the cycle's 民主评议 meeting, sorted. */
async function presentIds(db: Kysely<Database>, meetingId: string | null): Promise<string[]> {
  if (!meetingId) return []
  const rows = await db
    .selectFrom('attendance')
    .select('member_id')
    .where('meeting_id', '=', meetingId)
    .where('status', '=', 'present')
    .execute()
  return rows.map((r) => r.member_id).sort()
}

export const ALREADY_VOTED = '您已经投过票，每人只计一票（这张选票没有重复计入）'

/**
 * One voter's ballot: counted once. Refused (and nothing stored) when the ballot is not open, the
 * voter is not a member assessed in this cycle or not signed in to its meeting, the grades do not
 * cover exactly the members assessed, or the voter has voted already (a retry, their other phone).
 */
export async function castBallot(
  db: Kysely<Database>,
  viewer: Viewer,
  cycleId: string,
  grades: Record<string, ReviewGrade>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const box = await lockBallotBox(trx, cycleId)
    const cycle = await cycleOf(trx, viewer, cycleId)
    const state = cycle.ballot as BallotState
    if (state === 'none' || !box) throw new HttpError(409, 'conflict', '投票还没有开始')
    if (state === 'closed') throw new HttpError(409, 'conflict', '投票已经结束，这张选票未能计入')
    const subjects = idList(cycle.subject_ids)
    if (!subjects.includes(viewer.id)) throw new HttpError(403, 'forbidden', '只有本支部参加评议的党员可以投票')
    if (box.voters.includes(viewer.id)) throw new HttpError(409, 'conflict', ALREADY_VOTED)
    if (!(await signedIn(trx, cycle.meeting_id, viewer.id)))
      throw new HttpError(403, 'forbidden', '只有签到参加民主评议会议的党员可以投票；如已签到，请联网同步后再发送')
    const keys = Object.keys(grades)
    if (keys.length !== subjects.length || !keys.every((k) => subjects.includes(k)))
      throw new HttpError(422, 'validation', '选票应对每一名参加评议的党员作出评价')
    const counts: CountsBySubject = {}
    for (const id of subjects) {
      const c = { ...(box.counts[id] ?? zeroCounts()) }
      const g = grades[id] as ReviewGrade
      c[g] += 1
      counts[id] = c
    }
    await writeBallotBox(trx, cycleId, [...box.voters, viewer.id], counts)
  })
}

/**
 * Whether this person has voted, for the branch's people and for every member assessed in the
 * cycle wherever they are now: castBallot counts an assessed member who has moved to another
 * branch since the ballot opened, so their phone must be able to ask too (its "已投票" for a vote
 * a restore lost would otherwise never be corrected).
 */
export async function myBallot(db: Kysely<Database>, viewer: Viewer, cycleId: string): Promise<{ voted: boolean; ballot: BallotState }> {
  const cycle = await cycleOf(db, viewer, cycleId)
  if (cycle.branch_id !== viewer.branchId && !idList(cycle.subject_ids).includes(viewer.id))
    throw new HttpError(404, 'not_found', '找不到这次年度评议')
  const box = await readBallotBox(db, cycleId)
  return { voted: !!box?.voters.includes(viewer.id), ballot: cycle.ballot as BallotState }
}

async function requireCommittee(db: Kysely<Database>, viewer: Viewer, cycle: ReviewCycleTable): Promise<void> {
  if (!(await onCommittee(db, viewer, cycle.branch_id))) throw new HttpError(403, 'forbidden', '投票情况仅支部委员会可以查看')
}

/** Who has voted (never what) against who is signed in: for the committee. */
export async function turnout(db: Kysely<Database>, viewer: Viewer, cycleId: string) {
  const cycle = await cycleOf(db, viewer, cycleId)
  await requireCommittee(db, viewer, cycle)
  const box = await readBallotBox(db, cycleId)
  const paper = await paperTallies(db, cycleId)
  return {
    ballot: cycle.ballot as BallotState,
    voterIds: box?.voters ?? [],
    presentIds: await presentIds(db, cycle.meeting_id),
    paperBallots: paper.reduce((n, p) => n + p.ballots, 0),
  }
}

/** The counts (phones' and paper together), to the committee once the ballot is closed; refused before. */
export async function tally(db: Kysely<Database>, viewer: Viewer, cycleId: string) {
  const cycle = await cycleOf(db, viewer, cycleId)
  await requireCommittee(db, viewer, cycle)
  if (cycle.ballot !== 'closed') throw new HttpError(409, 'conflict', '投票结束后才能查看测评结果')
  const box = await readBallotBox(db, cycleId)
  const paper = await paperTallies(db, cycleId)
  const subjects = idList(cycle.subject_ids)
  return {
    phoneBallots: box?.voters.length ?? 0,
    paperBallots: paper.reduce((n, p) => n + p.ballots, 0),
    subjects: subjects.map((memberId) => {
      const counts: GradeCounts = { ...(box?.counts[memberId] ?? zeroCounts()) }
      for (const p of paper) for (const g of REVIEW_GRADES) counts[g] += p.counts[memberId]?.[g] ?? 0
      return { memberId, counts }
    }),
  }
}

/** Paper ballots counted by hand, entered by the branch's secretary; each subject's grades at most the number of ballots. */
export async function addPaperTally(
  db: Kysely<Database>,
  viewer: Viewer,
  cycleId: string,
  body: { id: string; ballots: number; counts: Record<string, GradeCounts> },
): Promise<{ paperBallots: number }> {
  return db.transaction().execute(async (trx) => {
    const cycle = await cycleOf(trx, viewer, cycleId)
    if (!isBranchSecretary(viewer, cycle.branch_id)) throw new HttpError(403, 'forbidden', '纸质选票由本支部书记录入')
    if (cycle.ballot === 'none') throw new HttpError(409, 'conflict', '请先开始投票（或直接结束投票）再录入纸质选票')
    const subjects = idList(cycle.subject_ids)
    for (const [id, c] of Object.entries(body.counts)) {
      if (!subjects.includes(id)) throw new HttpError(422, 'validation', '计票结果中有不参加本次评议的人员')
      if (REVIEW_GRADES.reduce((n, g) => n + c[g], 0) > body.ballots)
        throw new HttpError(422, 'validation', '每名党员的票数合计不能多于纸质选票张数')
    }
    const added = await insertPaperTally(trx, {
      id: body.id,
      orgId: viewer.orgId,
      cycleId,
      ballots: body.ballots,
      counts: body.counts,
      enteredBy: viewer.id,
      createdAt: nowIso(),
    })
    const all = await paperTallies(trx, cycleId)
    if (
      !added &&
      !(await trx
        .selectFrom('review_paper_tallies')
        .select('id')
        .where('id', '=', body.id)
        .where('cycle_id', '=', cycleId)
        .executeTakeFirst())
    )
      throw new HttpError(409, 'conflict', '这份计票结果的编号已被使用')
    return { paperBallots: all.reduce((n, p) => n + p.ballots, 0) }
  })
}
