import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { ReviewGradeTable } from '../../db/schema.ts'
import { reviewGradeFields, type ReviewGrade } from '../../../core/schemas/review.ts'
import type { ReviewGrade as Grade } from '../../../core/domain/review.ts'
import { reviewGradeId } from '../../../core/review-ids.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { idList } from '../../db/json.ts'
import { mergedText, parse, parsePatch, writableTable, type Apply, type Scope } from '../table-module.ts'
import { committeeBranches, onCommittee } from './review-scopes.ts'

/** A member's grade and feedback: that member, and the branch committee. Nobody else (docs/review-ballots.md). */
export function reviewGradeScope(v: Viewer): Scope<'review_grades'> {
  return (eb) => eb.and([eb('org_id', '=', v.orgId), eb.or([eb('member_id', '=', v.id), eb('branch_id', 'in', committeeBranches(v)(eb))])])
}

export function reviewGradeToWire(r: Selectable<ReviewGradeTable>): ReviewGrade {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    cycleId: r.cycle_id,
    memberId: r.member_id,
    grade: r.grade as Grade | null,
    feedback: r.feedback,
    gradedBy: r.graded_by,
    updatedAt: r.updated_at,
  }
}

const NewGrade = v.strictObject(reviewGradeFields)
const { cycleId: _c, memberId: _m, ...editable } = reviewGradeFields

/** 评定: recorded and changed by the branch committee (secretary, 支部委员), one row per member and cycle. */
export const applyReviewGradeMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op === 'delete') throw new HttpError(422, 'validation', '评定不能删除，可改为未评定')
  const existing = await trx.selectFrom('review_grades').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  const fields = m.fields ?? {}
  const now = nowIso()
  if (!existing) {
    const f = parse(NewGrade, fields)
    const cycle = await trx
      .selectFrom('review_cycles')
      .select(['branch_id', 'subject_ids'])
      .where('id', '=', f.cycleId)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!cycle) throw new HttpError(409, 'waiting', '年度评议还没有同步到服务器，联网后会自动重试')
    if (!(await onCommittee(trx, viewer, cycle.branch_id))) throw new HttpError(403, 'forbidden', '评定由支部委员会作出')
    if (m.rowId !== reviewGradeId(f.cycleId, f.memberId)) throw new HttpError(422, 'validation', '评定编号不正确')
    const member = await trx
      .selectFrom('users')
      .select('branch_id')
      .where('id', '=', f.memberId)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!member || (member.branch_id !== cycle.branch_id && !idList(cycle.subject_ids).includes(f.memberId)))
      throw new HttpError(422, 'validation', '只能评定本支部的党员')
    await trx
      .insertInto('review_grades')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: cycle.branch_id,
        cycle_id: f.cycleId,
        member_id: f.memberId,
        grade: f.grade,
        feedback: f.feedback,
        graded_by: viewer.id,
        updated_at: now,
        seq: 0,
      })
      .execute()
    seqs.mark('review_grades', m.rowId)
    return
  }
  if (!(await onCommittee(trx, viewer, existing.branch_id))) throw new HttpError(403, 'forbidden', '评定由支部委员会作出')
  const { cycleId, memberId, ...rest } = fields
  if ((cycleId !== undefined && cycleId !== existing.cycle_id) || (memberId !== undefined && memberId !== existing.member_id))
    throw new HttpError(422, 'validation', '评定编号不正确')
  const p = parsePatch(editable, rest)
  await trx
    .updateTable('review_grades')
    .set({
      ...(p.grade !== undefined && { grade: p.grade }),
      ...(p.feedback !== undefined && { feedback: mergedText(m, 'feedback', existing.feedback, p.feedback) }),
      graded_by: viewer.id,
      updated_at: now,
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('review_grades', m.rowId)
}

export const reviewGrades = writableTable({
  table: 'review_grades',
  read: (db, viewer) => db.selectFrom('review_grades').selectAll().where(reviewGradeScope(viewer)),
  toWire: (rows) => rows.map(reviewGradeToWire),
  apply: applyReviewGradeMutation,
})
