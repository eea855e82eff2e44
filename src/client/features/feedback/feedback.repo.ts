import * as v from 'valibot'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { feedbackAnswerFields, feedbackFields, type Feedback, type FeedbackCategory } from '../../../core/schemas/entities.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { newId } from '../../../core/ids.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { deleteRow, ValidationError, writeRow } from '../../db/write.ts'

export interface FeedbackInput {
  category: FeedbackCategory
  text: string
  anonymous: boolean
}

const NewFeedback = v.object(feedbackFields)
const Answer = v.object(feedbackAnswerFields)

/** A member's 投诉建议, saved offline through the one write path; the server takes the author from the session. */
export async function submitFeedback(db: AccountDb, user: SessionUser, input: FeedbackInput): Promise<string> {
  const parsed = v.safeParse(NewFeedback, { ...input, createdAt: new Date().toISOString() })
  if (!parsed.success) throw new ValidationError(issuesToMessage(parsed.issues, NewFeedback))
  const f = parsed.output
  const row: Feedback = {
    id: newId(),
    orgId: user.orgId,
    branchId: user.branchId,
    authorId: user.id,
    ...f,
    answer: '',
    answeredBy: null,
    answeredAt: null,
    updatedAt: f.createdAt,
    deleted: false,
  }
  await writeRow(db, 'feedback', row, { ...f })
  return row.id
}

/** Withdraw one's own item before it is answered (the server refuses it after). */
export async function withdrawFeedback(db: AccountDb, id: string): Promise<void> {
  const row = await db.feedback.get(id)
  if (!row || row.deleted) return
  if (row.answeredAt) throw new ValidationError('已答复的投诉建议不能撤回')
  await deleteRow(db, 'feedback', id)
}

/** An administrator's answer (答复), offline like everything else. */
export async function answerFeedback(db: AccountDb, user: SessionUser, id: string, answer: string): Promise<void> {
  const parsed = v.safeParse(Answer, { answer })
  if (!parsed.success) throw new ValidationError(issuesToMessage(parsed.issues, Answer))
  const row = await db.feedback.get(id)
  if (!row || row.deleted) throw new ValidationError('这条投诉建议已撤回')
  const at = new Date().toISOString()
  await writeRow(
    db,
    'feedback',
    { ...row, answer: parsed.output.answer, answeredBy: user.id, answeredAt: at, updatedAt: at },
    { ...parsed.output },
  )
}

/** The member's own items, newest first. */
export async function myFeedback(db: AccountDb, userId: string): Promise<Feedback[]> {
  const rows = await db.feedback.where('authorId').equals(userId).toArray()
  return rows.filter((r) => !r.deleted).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/** For administrators: every item, unanswered first (oldest waiting first), then answered, newest answer first. */
export async function feedbackForAnswering(db: AccountDb): Promise<Feedback[]> {
  const rows = (await db.feedback.toArray()).filter((r) => !r.deleted)
  const waiting = rows.filter((r) => !r.answeredAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  const answered = rows.filter((r) => r.answeredAt).sort((a, b) => String(b.answeredAt).localeCompare(String(a.answeredAt)))
  return [...waiting, ...answered]
}
