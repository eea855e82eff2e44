import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { FeedbackTable } from '../../db/schema.ts'
import { feedbackAnswerFields, feedbackFields, type Feedback } from '../../../core/schemas/entities.ts'
import { isAdmin } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'

/**
 * 投诉建议 (国办函〔2026〕12号 requires the function): who may read an item at all.
 *
 * Only its author and the organisation's administrators (机关党委, who answer it). Not the branch
 * secretary, not even for an item that is not anonymous: a complaint is often about the branch or
 * its secretary, and a member who must wonder whether the secretary reads it does not write it.
 * An administrator may forward the substance to a branch (without the name when the item is
 * anonymous); the app does not. So "anonymous" means: the administrator sees who wrote it (the law
 * wants a complaint traceable, and an answer must reach its author), and is told, with the name,
 * that the author asked for it not to be passed to the branch.
 *
 * The author is always stored. `toWire` strips it for anyone but the author and administrators, so
 * even a future widening of the read scope (a secretary reading their branch's items) would never
 * reveal the author of an anonymous item: the authorisation matrix (tests/integration/feedback.test.ts)
 * checks both.
 */
export function feedbackScope(v: Viewer): Scope<'feedback'> {
  return (eb) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    return eb.and([eb('org_id', '=', v.orgId), eb('author_id', '=', v.id)])
  }
}

/** May this viewer learn who wrote the item? The author and administrators only. */
export const seesAuthor = (viewer: Viewer, r: Pick<Selectable<FeedbackTable>, 'author_id' | 'org_id'>): boolean =>
  r.org_id === viewer.orgId && (r.author_id === viewer.id || isAdmin(viewer.role))

export function feedbackToWire(r: Selectable<FeedbackTable>, viewer: Viewer): Feedback {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    authorId: seesAuthor(viewer, r) ? r.author_id : null,
    category: r.category,
    text: r.text,
    anonymous: r.anonymous === 1,
    createdAt: r.created_at,
    answer: r.answer,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

const NewFeedback = v.strictObject(feedbackFields)
const Answer = v.strictObject(feedbackAnswerFields)

/**
 * A member writes an item (offline; the author and branch come from the session, never the phone)
 * and may withdraw it until it is answered; it is never edited (a second thought is a second item).
 * An administrator answers it (and may correct the answer); nobody else writes it.
 */
export const applyFeedbackMutation: Apply = async (trx, viewer, m, seqs) => {
  const existing = await trx.selectFrom('feedback').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  const now = nowIso()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden', '不能修改他人的投诉建议')
  if (m.op === 'delete') {
    if (!existing || existing.deleted === 1) return
    if (existing.author_id !== viewer.id) throw new HttpError(403, 'forbidden', '只能撤回本人的投诉建议')
    if (existing.answered_at) throw new HttpError(409, 'conflict', '已答复的投诉建议不能撤回')
    // Withdrawn: the text is erased at once (the author asked for it to be gone), the tombstone stays for the phones.
    await trx.updateTable('feedback').set({ deleted: 1, text: '', updated_at: now, seq: 0 }).where('id', '=', m.rowId).execute()
    seqs.mark('feedback', m.rowId)
    return
  }
  const fields = m.fields ?? {}
  if (!existing) {
    // An answer reaching the server before the item (a restored server refilled by the administrator's phone first).
    if ('answer' in fields && !('text' in fields)) throw new HttpError(409, 'waiting', '投诉建议还没有同步到服务器，联网后会自动重试')
    const f = parse(NewFeedback, fields)
    await trx
      .insertInto('feedback')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: viewer.branchId,
        author_id: viewer.id,
        category: f.category,
        text: f.text,
        anonymous: f.anonymous ? 1 : 0,
        answer: '',
        answered_by: null,
        answered_at: null,
        created_at: f.createdAt,
        updated_at: now,
        deleted: 0,
        seq: 0,
      })
      .execute()
    seqs.mark('feedback', m.rowId)
    return
  }
  if (existing.deleted === 1) throw new HttpError(409, 'deleted')
  if (!isAdmin(viewer.role))
    throw new HttpError(
      403,
      'forbidden',
      existing.author_id === viewer.id ? '投诉建议提交后不能修改，可撤回后重新提交' : '投诉建议由机关党委管理员答复',
    )
  const { answer } = parse(Answer, fields)
  await trx
    .updateTable('feedback')
    .set({ answer, answered_by: viewer.id, answered_at: now, updated_at: now, seq: 0 })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('feedback', m.rowId)
}

export const feedback = writableTable({
  table: 'feedback',
  read: (db, viewer) => db.selectFrom('feedback').selectAll().where(feedbackScope(viewer)),
  toWire: (rows, viewer) => rows.map((r) => feedbackToWire(r, viewer)),
  apply: applyFeedbackMutation,
})
