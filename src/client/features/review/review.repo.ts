import type { AccountDb } from '../../db/account-db.ts'
import { writeRow } from '../../db/write.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import type { ReviewCycle, ReviewGrade, ReviewPaper } from '../../../core/schemas/review.ts'
import type { BallotState, PaperKind, ReviewGrade as Grade } from '../../../core/domain/review.ts'
import { reviewGradeId, reviewPaperId } from '../../../core/review-ids.ts'
import { newId } from '../../../core/ids.ts'

/** The year's review on this phone: every write through db/write.ts (the sealed ballot: ballot-sender.ts). */

export interface CycleInput {
  year: number
  opensOn: string
  lifeMeetingOn: string | null
  assessmentOn: string | null
  prompt: string
  meetingId: string | null
}

/** The secretary opens the year's cycle (征求意见 begins): members see the prompt at their next sync. */
export async function openCycle(db: AccountDb, user: SessionUser, branchId: string, input: CycleInput): Promise<ReviewCycle> {
  const now = new Date().toISOString()
  const row: ReviewCycle = {
    id: newId(),
    orgId: user.orgId,
    branchId,
    ...input,
    ballot: 'none',
    subjectIds: [],
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  }
  await writeRow(db, 'review_cycles', row, { branchId, ...input, ballot: 'none', createdAt: now })
  return row
}

export async function updateCycle(db: AccountDb, cycle: ReviewCycle, patch: Partial<CycleInput>): Promise<void> {
  const { year: _y, ...fields } = patch
  await writeRow(db, 'review_cycles', { ...cycle, ...fields, updatedAt: new Date().toISOString() }, fields)
}

/** Opens or closes the ballot (the server fixes who is assessed, and refuses going back). */
export async function setBallot(db: AccountDb, cycle: ReviewCycle, ballot: BallotState): Promise<void> {
  await writeRow(db, 'review_cycles', { ...cycle, ballot, updatedAt: new Date().toISOString() }, { ballot })
}

/** The member's 对照检查 / 书面发言, saved on the phone (and to the author's own account); `handIn` gives it to the branch. */
export async function savePaper(
  db: AccountDb,
  user: SessionUser,
  cycle: ReviewCycle,
  kind: PaperKind,
  text: string,
  handIn = false,
): Promise<void> {
  const id = reviewPaperId(cycle.id, user.id)
  const now = new Date().toISOString()
  const before = await db.review_papers.get(id)
  if (before?.handedInAt) return
  const row: ReviewPaper = {
    id,
    orgId: user.orgId,
    branchId: cycle.branchId,
    cycleId: cycle.id,
    authorId: user.id,
    kind,
    text,
    handedInAt: handIn ? now : null,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  }
  const fields = before
    ? { kind, text, ...(handIn && { handedIn: true }) }
    : { cycleId: cycle.id, kind, text, handedIn: handIn, createdAt: now }
  await writeRow(db, 'review_papers', row, fields)
}

/** The committee's 评定 of one member, with the feedback that member reads. */
export async function saveGrade(
  db: AccountDb,
  user: SessionUser,
  cycle: ReviewCycle,
  memberId: string,
  grade: Grade | null,
  feedback: string,
): Promise<void> {
  const id = reviewGradeId(cycle.id, memberId)
  const before = await db.review_grades.get(id)
  const row: ReviewGrade = {
    id,
    orgId: user.orgId,
    branchId: cycle.branchId,
    cycleId: cycle.id,
    memberId,
    grade,
    feedback,
    gradedBy: user.id,
    updatedAt: new Date().toISOString(),
  }
  await writeRow(db, 'review_grades', row, before ? { grade, feedback } : { cycleId: cycle.id, memberId, grade, feedback })
}
